package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sees every write to {@code agentos-cycles} as it happens (a KV watch, so measuring adds no
 * polling load) and tells when a cycle stops: COMPLETED, FAILED, CANCELLED, or waiting for a person
 * (PAUSED, AWAITING_APPROVAL, NEEDS_INPUT), which a bench cycle never should. Only the top-level
 * {@code status} is parsed, so the bench stays light next to the services it measures.
 */
final class CycleWatch implements KeyValueWatcher, AutoCloseable {
  static final Set<String> STOPPED =
      Set.of("COMPLETED", "FAILED", "CANCELLED", "PAUSED", "AWAITING_APPROVAL", "NEEDS_INPUT");

  private static final Set<String> STATUS = Set.of("status");

  /** How a cycle stopped, and when the watch saw it ({@link System#nanoTime()}). */
  record Outcome(String cycleId, String status, long atNanos) {
    boolean completed() {
      return status.equals("COMPLETED");
    }
  }

  /** One write to a cycle, as the watch saw it. */
  record Update(String cycleId, byte[] value, long atNanos) {}

  private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Integer> largestValue = new ConcurrentHashMap<>();
  private volatile Consumer<Update> tap = u -> {};
  private final Connection nc;
  private volatile NatsKeyValueWatchSubscription subscription;

  private CycleWatch(Connection nc) {
    this.nc = nc;
  }

  static CycleWatch start(Connection nc) throws Exception {
    CycleWatch watch = new CycleWatch(nc);
    watch.resume();
    return watch;
  }

  /** Stops watching until {@link #resume}, so that a census does not count the watch's traffic. */
  void suspend() {
    close();
    subscription = null;
  }

  /** Watches again, from new writes on. */
  void resume() throws Exception {
    subscription =
        nc.keyValue(Topology.CYCLES_BUCKET)
            .watch(
                Topology.CYCLE_KEY_PREFIX + "*",
                this,
                KeyValueWatchOption.UPDATES_ONLY,
                KeyValueWatchOption.IGNORE_DELETE);
  }

  /** Completes when {@code cycleId} stops; ask before submitting, so nothing is missed. */
  CompletableFuture<Outcome> outcome(String cycleId) {
    return outcomes.computeIfAbsent(cycleId, id -> new CompletableFuture<>());
  }

  /** Stops tracking {@code cycleId}'s outcome (a long run would otherwise keep every one). */
  void forget(String cycleId) {
    outcomes.remove(cycleId);
  }

  /** The largest value written for {@code cycleId} so far, in bytes. */
  int largestValue(String cycleId) {
    return largestValue.getOrDefault(cycleId, 0);
  }

  /** Lets {@code consumer} see every write (on the watch's thread; keep it short). */
  void tap(Consumer<Update> consumer) {
    tap = consumer == null ? u -> {} : consumer;
  }

  @Override
  public void watch(KeyValueEntry entry) {
    long at = System.nanoTime();
    byte[] value = entry.getValue();
    if (value == null || !entry.getKey().startsWith(Topology.CYCLE_KEY_PREFIX)) {
      return;
    }
    String cycleId = entry.getKey().substring(Topology.CYCLE_KEY_PREFIX.length());
    largestValue.merge(cycleId, value.length, Math::max);
    tap.accept(new Update(cycleId, value, at));
    String status = topLevelStatus(value);
    if (status != null && STOPPED.contains(status)) {
      outcome(cycleId).complete(new Outcome(cycleId, status, at));
    }
  }

  @Override
  public void endOfData() {}

  /** The state's top-level {@code status}, without reading the rest of the document. */
  static String topLevelStatus(byte[] json) {
    JsonNode status = Json.topLevelFields(json, STATUS).path("status");
    return status.isTextual() ? status.asText() : null;
  }

  @Override
  public void close() {
    NatsKeyValueWatchSubscription current = subscription;
    if (current != null) {
      try {
        current.unsubscribe();
      } catch (RuntimeException e) {
        // The connection is closing anyway.
      }
    }
  }
}
