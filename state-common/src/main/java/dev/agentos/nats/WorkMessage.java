package dev.agentos.nats;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import java.util.Optional;

/**
 * A hand-off on {@code agentos.work.<phase>}: which cycle, iteration and phase to run, and, when
 * the plan's steps run in parallel, which step ({@code step_id}; left out otherwise). Everything
 * else is read from the cycle's state, so a message can never carry stale data.
 */
public record WorkMessage(String cycleId, int iteration, Phase phase, String stepId) {

  @JsonCreator
  public WorkMessage {}

  /** The hand-off of a whole phase. */
  public WorkMessage(String cycleId, int iteration, Phase phase) {
    this(cycleId, iteration, phase, null);
  }

  /** The work item of one step of {@code state}'s EXECUTE phase. */
  public static WorkMessage forStep(CycleState state, String stepId) {
    return new WorkMessage(state.cycleId(), state.iteration(), Phase.EXECUTE, stepId);
  }

  /**
   * The message id that makes a hand-off idempotent within the stream's duplicate window. A
   * re-enqueue (resume, reconciler) adds its sequence number: the first hand-off's id may still be
   * remembered by the window even though its message was consumed long ago.
   */
  public String messageId(int requeues) {
    return messageId(requeues, 0);
  }

  /**
   * The message id of a step's work item: {@code <cycle>.<iteration>.execute.<step>}, with {@code
   * .a<n>} once the step was started {@code n} times (an attempt whose replica died is published
   * again, and the window still holds the first id) and {@code .r<n>} after a re-enqueue. Two
   * replicas that publish the same ready step at once send the same id, so one message is kept.
   */
  public String messageId(int requeues, int stepAttempts) {
    String base = cycleId + "." + iteration + "." + phase.token();
    if (stepId != null) {
      base = base + "." + stepId + (stepAttempts == 0 ? "" : ".a" + stepAttempts);
    }
    return requeues == 0 ? base : base + ".r" + requeues;
  }

  /** The message id of this step's work item as {@code state} stands. */
  public String stepMessageId(CycleState state) {
    int attempts =
        state
            .currentIteration()
            .executionOrEmpty()
            .step(stepId)
            .map(StepRecord::attempts)
            .orElse(0);
    return messageId(state.requeues(), attempts);
  }

  /** The work a cycle in this state waits for, if a worker should run something now. */
  public static Optional<WorkMessage> pendingFor(CycleState state) {
    return state
        .status()
        .runningPhase()
        .map(phase -> new WorkMessage(state.cycleId(), state.iteration(), phase));
  }
}
