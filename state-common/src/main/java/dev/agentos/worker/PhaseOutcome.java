package dev.agentos.worker;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Execution;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Plan;
import dev.agentos.state.Review;

/** What a role's phase logic produced. {@code PhaseWorker} turns it into the next state. */
public sealed interface PhaseOutcome {
  record Planned(Plan plan) implements PhaseOutcome {}

  record Executed(Execution execution) implements PhaseOutcome {}

  record Expressed(ExpressResult express) implements PhaseOutcome {}

  /**
   * @param recap the iteration's recap, stored again with what Review wrote into it; null when
   *     Review did not change it
   */
  record Reviewed(Review review, ArtifactRef recap) implements PhaseOutcome {
    public Reviewed(Review review) {
      this(review, null);
    }
  }

  /** The phase cannot succeed, however often it is retried: the cycle fails with the reason. */
  record Failed(ErrorCode code, String message) implements PhaseOutcome {}

  /** A limit was reached: the cycle pauses (or fails, if it asked not to pause) with the reason. */
  record BudgetExhausted(String reason) implements PhaseOutcome {}

  /**
   * A step's agent asked a person {@code question}: the cycle waits in NEEDS_INPUT until an answer
   * continues the step. The step's record is already checkpointed, unfinished.
   */
  record NeedsInput(String stepId, String question, String context) implements PhaseOutcome {}

  /**
   * EXECUTE of a plan whose steps run in parallel: the phase's claim is given back and each ready
   * step goes out as a work item of its own, at most {@code maxParallel} of the cycle at once.
   */
  record FansOut(int maxParallel) implements PhaseOutcome {}

  /** The phase cannot go on until a person acts (its git branch moved): pause with the reason. */
  record Paused(String reason) implements PhaseOutcome {}
}
