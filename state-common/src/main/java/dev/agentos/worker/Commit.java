package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.Transitions;
import java.time.Instant;

/** Maps a phase's outcome to its transition. */
final class Commit {
  private Commit() {}

  static CycleState apply(CycleState state, Phase phase, PhaseOutcome outcome, Instant now) {
    if (outcome instanceof PhaseOutcome.Planned planned && phase == Phase.PLAN) {
      return Transitions.planned(state, planned.plan(), now);
    }
    if (outcome instanceof PhaseOutcome.Executed executed && phase == Phase.EXECUTE) {
      return Transitions.executed(state, executed.execution(), now);
    }
    if (outcome instanceof PhaseOutcome.Expressed expressed && phase == Phase.EXPRESS) {
      return Transitions.expressed(state, expressed.express(), now);
    }
    if (outcome instanceof PhaseOutcome.Reviewed reviewed && phase == Phase.REVIEW) {
      return Transitions.reviewed(state, reviewed.review(), reviewed.recap(), now);
    }
    if (outcome instanceof PhaseOutcome.FansOut && phase == Phase.EXECUTE) {
      // Settled at once, in case nothing is left to run (every step ended before a re-enqueue).
      return ParallelSteps.settle(state.toBuilder().lease(null).updatedAt(now).build(), now);
    }
    if (outcome instanceof PhaseOutcome.NeedsInput asked && phase == Phase.EXECUTE) {
      return Transitions.ask(state, asked.stepId(), asked.question(), asked.context(), now);
    }
    if (outcome instanceof PhaseOutcome.Failed failed) {
      return Transitions.fail(state, failed.code(), failed.message(), now);
    }
    if (outcome instanceof PhaseOutcome.Paused paused) {
      return Transitions.pause(state, paused.reason(), now);
    }
    if (outcome instanceof PhaseOutcome.BudgetExhausted exhausted) {
      return state.optionsOrDefaults().pausesOnBudget()
          ? Transitions.pause(state, exhausted.reason(), now)
          : Transitions.fail(state, ErrorCode.BUDGET_EXHAUSTED, exhausted.reason(), now);
    }
    throw new AgentOsException(
        ErrorCode.INTERNAL, "phase " + phase + " returned an outcome of another phase: " + outcome);
  }
}
