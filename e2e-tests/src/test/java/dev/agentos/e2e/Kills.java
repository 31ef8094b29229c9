package dev.agentos.e2e;

import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Takeover;
import dev.agentos.testing.Await;
import dev.agentos.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SIGKILLs service processes of a {@link Cluster} and measures how long the cycles they held took
 * to resume: from the kill to the moment another worker claimed the phase or the parallel step (or
 * the cycle moved on).
 */
final class Kills {
  static final Duration RESUME_DEADLINE = Duration.ofSeconds(60);

  /** Every measured time-to-resume, by what was killed, for the summary at the end. */
  static final List<String> MEASURED = Collections.synchronizedList(new ArrayList<>());

  private Kills() {}

  /** The cycles whose lease {@code service} holds right now. */
  static List<CycleState> leasedBy(Cluster cluster, ServiceProcess service) {
    return heldBy(cluster, service).stream()
        .filter(h -> h.stepId() == null)
        .map(Held::before)
        .toList();
  }

  /**
   * What a killed process held: a cycle's phase ({@code stepId} null), or one of the cycle's
   * parallel steps, which carry leases of their own while the cycle's is free.
   */
  record Held(CycleState before, String stepId) {
    /** Whether {@code now} shows this work taken up by a worker outside {@code deadPid}. */
    boolean resumedIn(CycleState now, long deadPid) {
      if (stepId == null
          || now.status().isFinal()
          || now.iteration() != before.iteration()
          || now.phase() != before.phase()) {
        return Takeover.happened(before, now, deadPid);
      }
      int attemptsBefore = step(before).map(StepRecord::attempts).orElse(0);
      // A step no longer recorded was given up to run afresh: nothing of it waits for the dead.
      return step(now)
          .map(
              s ->
                  s.attempts() > attemptsBefore
                      && (s.lease() == null || !s.lease().isHeldByProcess(deadPid)))
          .orElse(true);
    }

    private Optional<StepRecord> step(CycleState state) {
      return state.currentIteration().executionOrEmpty().step(stepId);
    }
  }

  /** The live phase leases and step leases {@code service} holds right now. */
  static List<Held> heldBy(Cluster cluster, ServiceProcess service) {
    long pid = service.pid();
    Instant now = Instant.now();
    List<Held> held = new ArrayList<>();
    for (String id : cluster.store.cycleIds()) {
      CycleState s = cluster.store.get(id).map(CycleStore.Versioned::state).orElse(null);
      if (s == null || s.status().isFinal()) {
        continue;
      }
      if (s.lease() != null && s.lease().isHeldByProcess(pid) && s.lease().isLiveAt(now)) {
        held.add(new Held(s, null));
      }
      for (StepRecord step : s.currentIteration().executionOrEmpty().steps()) {
        if (step.lease() != null
            && step.lease().isHeldByProcess(pid)
            && step.lease().isLiveAt(now)) {
          held.add(new Held(s, step.id()));
        }
      }
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
    List<Held> held = heldBy(cluster, service);
    long pid = service.pid();
    long killedAt = System.nanoTime();
    service.kill();
    if (restart) {
      service.restart();
    }
    Map<Held, Long> resumedAt = new ConcurrentHashMap<>();
    try {
      Await.until(
          RESUME_DEADLINE,
          label + ": the " + describe(held) + " " + service.name() + " held to resume",
          () -> {
            for (Held work : held) {
              if (!resumedAt.containsKey(work)
                  && work.resumedIn(cluster.state(work.before().cycleId()), pid)) {
                resumedAt.put(work, System.nanoTime());
              }
            }
            return resumedAt.size() == held.size();
          });
    } catch (AssertionError timeout) {
      StringBuilder stuck = new StringBuilder(timeout.getMessage());
      for (Held work : held) {
        if (!resumedAt.containsKey(work)) {
          stuck
              .append("\n  ")
              .append(work.stepId() == null ? "" : "step " + work.stepId() + " of ")
              .append(describe(work.before()))
              .append(" -> ");
          try {
            stuck.append(describe(cluster.state(work.before().cycleId())));
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
                "time-to-resume after SIGKILL of %s (%s, %s in flight%s): %d ms",
                service.name(),
                label,
                describe(held),
                restart ? ", restarted" : "",
                took.toMillis());
    System.out.println(line);
    MEASURED.add(line);
    return took;
  }

  /** "1 cycle(s)", "2 parallel step(s)", or both: what a process held, counted. */
  private static String describe(List<Held> held) {
    long steps = held.stream().filter(h -> h.stepId() != null).count();
    long phases = held.size() - steps;
    if (steps == 0) {
      return phases + " cycle(s)";
    }
    return (phases == 0 ? "" : phases + " cycle(s) and ") + steps + " parallel step(s)";
  }
}
