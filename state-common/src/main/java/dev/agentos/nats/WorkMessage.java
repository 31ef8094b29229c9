package dev.agentos.nats;

import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import java.util.Optional;

/**
 * A hand-off on {@code agentos.work.<phase>}: which cycle, iteration and phase to run. Everything
 * else is read from the cycle's state, so a message can never carry stale data.
 */
public record WorkMessage(String cycleId, int iteration, Phase phase) {

  /**
   * The message id that makes a hand-off idempotent within the stream's duplicate window. A
   * re-enqueue (resume, reconciler) adds its sequence number: the first hand-off's id may still be
   * remembered by the window even though its message was consumed long ago.
   */
  public String messageId(int requeues) {
    String base = cycleId + "." + iteration + "." + phase.token();
    return requeues == 0 ? base : base + ".r" + requeues;
  }

  /** The work a cycle in this state waits for, if a worker should run something now. */
  public static Optional<WorkMessage> pendingFor(CycleState state) {
    return state
        .status()
        .runningPhase()
        .map(phase -> new WorkMessage(state.cycleId(), state.iteration(), phase));
  }
}
