package dev.agentos.e2e;

import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Takeover;
import dev.agentos.testing.Await;
import dev.agentos.testing.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SIGKILLs service processes of a {@link Cluster} and measures how long the cycles they held took
 * to resume: from the kill to the moment another worker claimed the phase (or the cycle moved on).
 */
final class Kills {
  static final Duration RESUME_DEADLINE = Duration.ofSeconds(60);

  /** Every measured time-to-resume, by what was killed, for the summary at the end. */
  static final List<String> MEASURED = Collections.synchronizedList(new ArrayList<>());

  private Kills() {}

  /** The cycles whose lease {@code service} holds right now. */
  static List<CycleState> leasedBy(Cluster cluster, ServiceProcess service) {
    long pid = service.pid();
    List<CycleState> held = new ArrayList<>();
    for (String id : cluster.store.cycleIds()) {
      cluster
          .store
          .get(id)
          .map(CycleStore.Versioned::state)
          .ifPresent(
              s -> {
                if (!s.status().isFinal()
                    && s.lease() != null
                    && s.lease().isHeldByProcess(pid)
                    && s.lease().isLiveAt(java.time.Instant.now())) {
                  held.add(s);
                }
              });
    }
    return held;
  }

  static String describe(CycleState s) {
    return s.cycleId()
        + " "
        + s.status()
        + " "
        + s.phase()
        + " iteration "
        + s.iteration()
        + " attempts "
        + s.attempts()
        + " lease "
        + s.lease()
        + " updated "
        + s.updatedAt();
  }

  /** Sends {@code signal} (e.g. STOP, CONT) to the process {@code pid}, with the kill command. */
  static void signal(long pid, String signal) {
    dev.agentos.testing.Processes.signal(pid, signal);
  }

  /** The service that holds {@code cycleId}'s lease, if a live one does. */
  static Optional<ServiceProcess> holderOf(Cluster cluster, String cycleId) {
    CycleState s = cluster.state(cycleId);
    if (s.lease() == null) {
      return Optional.empty();
    }
    return cluster.services().values().stream()
        .filter(p -> p.isAlive() && s.lease().isHeldByProcess(p.pid()))
        .findFirst();
  }

  /**
   * SIGKILLs {@code service}; if {@code restart}, starts it again right away (without waiting for
   * it to be ready). Returns the time until every cycle it held was resumed, and prints it.
   */
  static Duration killAndMeasure(
      Cluster cluster, ServiceProcess service, boolean restart, String label) {
    List<CycleState> held = leasedBy(cluster, service);
    long pid = service.pid();
    long killedAt = System.nanoTime();
    service.kill();
    if (restart) {
      service.restart();
    }
    Map<String, Long> resumedAt = new ConcurrentHashMap<>();
    try {
      Await.until(
          RESUME_DEADLINE,
          label + ": the " + held.size() + " cycle(s) " + service.name() + " held to resume",
          () -> {
            for (CycleState before : held) {
              if (!resumedAt.containsKey(before.cycleId())
                  && Takeover.happened(before, cluster.state(before.cycleId()), pid)) {
                resumedAt.put(before.cycleId(), System.nanoTime());
              }
            }
            return resumedAt.size() == held.size();
          });
    } catch (AssertionError timeout) {
      StringBuilder stuck = new StringBuilder(timeout.getMessage());
      for (CycleState before : held) {
        if (!resumedAt.containsKey(before.cycleId())) {
          stuck.append("\n  ").append(describe(before)).append(" -> ");
          try {
            stuck.append(describe(cluster.state(before.cycleId())));
          } catch (RuntimeException e) {
            stuck.append(e);
          }
        }
      }
      throw new AssertionError(stuck.toString(), timeout);
    }
    long last = resumedAt.values().stream().mapToLong(Long::longValue).max().orElse(killedAt);
    Duration took = Duration.ofNanos(last - killedAt);
    String line =
        held.isEmpty()
            ? String.format("SIGKILL of %s (%s): it held no cycle", service.name(), label)
            : String.format(
                "time-to-resume after SIGKILL of %s (%s, %d cycle(s) in flight%s): %d ms",
                service.name(), label, held.size(), restart ? ", restarted" : "", took.toMillis());
    System.out.println(line);
    MEASURED.add(line);
    return took;
  }
}
