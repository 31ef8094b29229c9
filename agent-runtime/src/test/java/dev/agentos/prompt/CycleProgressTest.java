package dev.agentos.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Verdict;
import dev.agentos.state.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycleProgressTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Plan PLAN =
      Plan.of(
          "goal",
          List.of(
              PlanStep.of("1", "Model", "", null),
              PlanStep.of("2", "Page", "", null),
              PlanStep.of("3", "Docs", "", null)),
          List.of());

  @TempDir Path workspace;

  @Test
  void thePlanShowsEachStepsStatusAndWhatTheDoneStepsSaidAndChanged() {
    Execution execution =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, T0)
                    .finished(StepStatus.COMPLETED, T0, "added\nthe model", null, null)
                    .withChanges(StepChanges.of(List.of("cart.py"), StepChanges.GIT)))
            .with(StepRecord.started("2", 2, T0));

    assertEquals(
        "- [COMPLETED] 1. Model\n"
            + "  summary: added the model\n"
            + "  1 file changed: cart.py\n"
            + "- [RUNNING] 2. Page\n"
            + "- [PENDING] 3. Docs",
        CycleProgress.plan(Iteration.first().withPlan(PLAN).withExecution(execution)));
  }

  @Test
  void thePlanSaysWhichStepsAStepWaitsFor() {
    Plan graph =
        Plan.of(
            "goal",
            List.of(
                PlanStep.of("1", "Model", "", null).withDependsOn(List.of()),
                PlanStep.of("2", "Page", "", null).withDependsOn(List.of("1")),
                PlanStep.of("3", "Docs", "", null).withDependsOn(List.of("1", "2"))),
            List.of());

    assertEquals(
        "- [PENDING] 1. Model\n- [PENDING] 2. Page (after 1)\n- [PENDING] 3. Docs (after 1, 2)",
        CycleProgress.plan(Iteration.first().withPlan(graph)));
  }

  @Test
  void theHistoryHoldsEveryEarlierReviewWithItsFeedbackButNotTheCurrentOne() {
    Review first =
        Review.of(
            Verdict.REVISE,
            57,
            List.of(new Check("every step completed", true, "")),
            List.of(new FeedbackItem("Validate quantities", "cart.py", "negative counts crash")),
            List.of());
    Review second =
        Review.of(Verdict.REVISE, 80, List.of(), List.of(FeedbackItem.of("Add docs")), List.of())
            .withUnverified("no check ran");
    CycleState state =
        cycle(
            Iteration.first().withReview(first),
            Iteration.next(2, List.of()).withReview(second),
            Iteration.next(3, List.of()).withReview(first));

    assertEquals(
        "- iteration 1: REVISE, score 57\n"
            + "  - Validate quantities — negative counts crash\n"
            + "- iteration 2: REVISE, score 80 (unverified)\n"
            + "  - Add docs",
        CycleProgress.history(state));
  }

  @Test
  void outsideGitTheChangesAndTheDiffAreTheMeasuredFiles() {
    StepRecord done =
        StepRecord.started("1", 1, T0)
            .finished(StepStatus.COMPLETED, T0, "ok", null, null)
            .withChanges(StepChanges.of(List.of("b.txt", "a.txt"), StepChanges.FILES));
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .goal("cart")
            .workspace(Workspace.atPath(workspace.toString()))
            .iterations(
                List.of(
                    Iteration.first().withPlan(PLAN).withExecution(Execution.empty().with(done))))
            .build();

    assertEquals(
        "files the steps changed so far: a.txt, b.txt", CycleProgress.changes(workspace, state));
    assertEquals(
        "(no git history to diff: the workspace is not a git repository, or no step recorded its"
            + " start)\nfiles the steps changed so far: a.txt, b.txt",
        CycleProgress.diff(workspace, state));
  }

  private CycleState cycle(Iteration... iterations) {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .goal("cart")
        .workspace(Workspace.atPath(workspace.toString()))
        .iteration(iterations.length)
        .iterations(List.of(iterations))
        .build();
  }
}
