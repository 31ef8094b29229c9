package dev.agentos.e2e;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import dev.agentos.testing.Await;
import io.nats.client.Connection;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the cycles bucket and keeps the server's commit time of every write that moved a cycle on
 * (a status, phase, iteration or step changed; a lease renewal does not count). The stall a failure
 * causes is the time from the failure to the next such commit, by the server's own clock (the same
 * machine's), so a test client that reconnects late does not stretch it.
 */
final class CommitWatch implements AutoCloseable, KeyValueWatcher {
  private final Map<String, String> lastProgress = new ConcurrentHashMap<>();
  private final List<Instant> progress = new ArrayList<>();
  private final NatsKeyValueWatchSubscription subscription;

  CommitWatch(Connection nc) throws Exception {
    subscription =
        // Cycle keys only: the bucket's lock.<hash> keys hold a cycle id, not a state.
        nc.keyValue(Topology.CYCLES_BUCKET)
            .watch(Topology.CYCLE_KEY_PREFIX + "*", this, KeyValueWatchOption.UPDATES_ONLY);
  }

  @Override
  public void watch(KeyValueEntry entry) {
    if (entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
      return;
    }
    String fingerprint = fingerprint(CycleStore.decode(entry.getValue()));
    String before = lastProgress.put(entry.getKey(), fingerprint);
    if (!fingerprint.equals(before)) {
      synchronized (progress) {
        progress.add(entry.getCreated().toInstant());
      }
    }
  }

  @Override
  public void endOfData() {}

  /** The time from {@code failedAt} to the first progress committed after it. */
  Duration stallAfter(Instant failedAt, Duration timeout) {
    Instant next =
        Await.value(
            timeout,
            "a cycle to move on after " + failedAt,
            () -> {
              synchronized (progress) {
                return progress.stream()
                    .filter(failedAt::isBefore)
                    .min(Instant::compareTo)
                    .orElse(null);
              }
            });
    return Duration.between(failedAt, next);
  }

  private static String fingerprint(CycleState s) {
    StringBuilder f =
        new StringBuilder(s.status() + "/" + s.phase() + "/" + s.iteration() + "/" + s.attempts());
    if (!s.iterations().isEmpty()) {
      for (StepRecord step : s.currentIteration().executionOrEmpty().steps()) {
        f.append(' ').append(step.id()).append('=').append(step.status());
      }
    }
    return f.toString();
  }

  @Override
  public void close() {
    subscription.unsubscribe();
  }
}
