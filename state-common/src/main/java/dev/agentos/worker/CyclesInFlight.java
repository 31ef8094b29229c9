package dev.agentos.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cycles a worker process works on right now, for {@code agentos.<role>.status}: counted, since
 * several steps of one cycle may run in one process at once, and the cycle is in flight until the
 * last of them ends.
 */
final class CyclesInFlight {
  private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

  void started(String cycleId) {
    running.merge(cycleId, 1, Integer::sum);
  }

  void ended(String cycleId) {
    running.computeIfPresent(cycleId, (id, n) -> n > 1 ? n - 1 : null);
  }

  Set<String> cycles() {
    return Set.copyOf(running.keySet());
  }
}
