package dev.agentos.service.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.state.Status;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How many cycles are in each status, kept from the stream of cycle states (one per write). Holds
 * one entry per cycle id, so a cycle whose status changes moves from one count to the other.
 */
final class CycleStatusCounts {
  private static final Set<String> STATUS = Set.of("status");

  private final Map<String, Status> statusById = new HashMap<>();
  private final Map<Status, Long> counts = new EnumMap<>(Status.class);

  /** Records the state last written for {@code cycleId}; an unreadable one removes the cycle. */
  synchronized void put(String cycleId, byte[] stateJson) {
    Optional<Status> status = statusOf(stateJson);
    if (status.isEmpty()) {
      remove(cycleId);
      return;
    }
    Status previous = statusById.put(cycleId, status.get());
    if (previous != null) {
      counts.merge(previous, -1L, Long::sum);
    }
    counts.merge(status.get(), 1L, Long::sum);
  }

  /** The cycle was deleted or purged from the bucket. */
  synchronized void remove(String cycleId) {
    Status previous = statusById.remove(cycleId);
    if (previous != null) {
      counts.merge(previous, -1L, Long::sum);
    }
  }

  synchronized long count(Status status) {
    return counts.getOrDefault(status, 0L);
  }

  synchronized int size() {
    return statusById.size();
  }

  /**
   * The top-level {@code status} of a cycle state, read without building the whole document: the
   * watch sees every write of every cycle, and the status is all the gauge needs.
   */
  static Optional<Status> statusOf(byte[] stateJson) {
    JsonNode status = Json.topLevelFields(stateJson, STATUS).path("status");
    return status.isTextual() ? parse(status.asText()) : Optional.empty();
  }

  private static Optional<Status> parse(String text) {
    try {
      return Optional.of(Status.valueOf(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
