package dev.agentos.worker;

import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link Heartbeat} keeps alive: a claim on a whole phase ({@link ClaimedPhase}) or on one
 * step of a plan whose steps run in parallel ({@link ClaimedStep}).
 */
interface Claim {
  CycleState state();

  Phase phase();

  /** What the claim is on, for log lines: {@code EXECUTE}, or {@code EXECUTE step 2}. */
  default String what() {
    return phase().name();
  }

  StopReason stopReason();

  /** Stops the claim's work; the first reason given stands. */
  void stop(StopReason reason);

  /** Extends the lease by {@code leaseFor}; CONFLICT or CANCELLED when the claim was lost. */
  void renewLease(Duration leaseFor);

  /** What runs after each renewal (see {@link PhaseContext#onHeartbeat}). */
  List<Runnable> beatTasks();
}
