package dev.agentos.review;

import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Verdict;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * REVIEW: checks the iteration's work and decides. Every plan step must have completed and every
 * verification command of the cycle must pass; PASS needs all checks passed and a score of at least
 * 70. Otherwise the cycle is sent round again with one feedback item per failed check while
 * iterations remain, and fails when none do.
 */
public final class ReviewPhase implements PhaseLogic {
  static final int PASS_SCORE = 70;

  private final Duration verifyTimeout;

  public ReviewPhase(Duration verifyTimeout) {
    this.verifyTimeout = verifyTimeout;
  }

  @Override
  public Phase phase() {
    return Phase.REVIEW;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    CycleState state = context.state();
    Iteration iteration = state.currentIteration();
    List<Check> checks = new ArrayList<>();
    checks.add(stepsCompleted(iteration));
    for (String command : state.optionsOrDefaults().verifyOrEmpty()) {
      checks.add(Verification.run(command, context.workspace(), verifyTimeout));
    }
    List<FeedbackItem> feedback = new ArrayList<>();
    for (Check check : checks) {
      if (!check.passed()) {
        feedback.add(new FeedbackItem(check.name() + " failed", "review check", check.detail()));
      }
    }
    long passed = checks.stream().filter(Check::passed).count();
    int score = (int) Math.round(100.0 * passed / checks.size());
    Verdict verdict = verdict(feedback.isEmpty(), score, state);
    List<String> insights = List.of();
    return new PhaseOutcome.Reviewed(Review.of(verdict, score, checks, feedback, insights));
  }

  static Verdict verdict(boolean allChecksPassed, int score, CycleState state) {
    if (allChecksPassed && score >= PASS_SCORE) {
      return Verdict.PASS;
    }
    boolean iterationsRemain =
        state.iteration() < state.optionsOrDefaults().maxIterationsOrDefault();
    return iterationsRemain ? Verdict.REVISE : Verdict.FAIL;
  }

  private static Check stepsCompleted(Iteration iteration) {
    List<PlanStep> steps = iteration.plan() == null ? List.of() : iteration.plan().steps();
    List<String> unfinished = new ArrayList<>();
    for (PlanStep step : steps) {
      StepStatus status =
          iteration
              .executionOrEmpty()
              .step(step.id())
              .map(StepRecord::status)
              .orElse(StepStatus.PENDING);
      if (status != StepStatus.COMPLETED) {
        unfinished.add(step.id() + " (" + step.title() + "): " + status);
      }
    }
    return new Check(
        "every step completed",
        unfinished.isEmpty(),
        unfinished.isEmpty()
            ? steps.size() + " of " + steps.size() + " steps completed"
            : "not completed: " + String.join("; ", unfinished));
  }
}
