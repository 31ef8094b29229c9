package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory copy of a small KV bucket that a watch keeps current: the team's standards,
 * decisions and instructions are read for every prompt, and reading them from the server each time
 * cost more than the rest of a cycle's orchestration. An edit reaches the copy within milliseconds.
 */
public final class BucketMirror implements AutoCloseable {
  private static final Duration FIRST_LOAD = Duration.ofSeconds(10);

  private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final String bucket;
  private NatsKeyValueWatchSubscription watch;

  private BucketMirror(String bucket) {
    this.bucket = bucket;
  }

  public static BucketMirror start(KeyValue kv) {
    BucketMirror mirror = new BucketMirror(kv.getBucketName());
    try {
      mirror.watch =
          kv.watchAll(
              new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry entry) {
                  if (entry.getOperation() == KeyValueOperation.PUT && entry.getValue() != null) {
                    mirror.entries.put(entry.getKey(), entry.getValue());
                  } else {
                    mirror.entries.remove(entry.getKey());
                  }
                }

                @Override
                public void endOfData() {
                  mirror.loaded.countDown();
                }
              });
    } catch (Exception e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "cannot watch the " + mirror.bucket + " bucket: " + e.getMessage(),
          e);
    }
    return mirror;
  }

  /** Every entry, key → value, once the first load has arrived. */
  public Map<String, byte[]> snapshot() {
    awaitFirstLoad();
    return new TreeMap<>(entries);
  }

  /** The value of {@code key}, once the first load has arrived. */
  public Optional<byte[]> get(String key) {
    awaitFirstLoad();
    return Optional.ofNullable(entries.get(key));
  }

  private void awaitFirstLoad() {
    try {
      if (!loaded.await(FIRST_LOAD.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AgentOsException(
            ErrorCode.UNAVAILABLE, "the " + bucket + " bucket did not load within " + FIRST_LOAD);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted loading " + bucket, e);
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.unsubscribe();
    }
  }
}
