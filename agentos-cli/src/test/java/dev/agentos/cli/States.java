package dev.agentos.cli;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.Check;
import dev.agentos.state.CycleError;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Extra;
import dev.agentos.state.Gate;
import dev.agentos.state.Iteration;
import dev.agentos.state.PendingApproval;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.state.UsageTotals;
import dev.agentos.state.Verdict;
import dev.agentos.state.Workspace;
import java.time.Instant;
import java.util.List;

/** Cycle states for rendering tests: a spec cycle of three steps at various points. */
final class States {
  static final Instant CREATED = Instant.parse("2026-11-20T10:00:00Z");

  private States() {}

  static CycleState queued() {
    return new CycleState.Builder()
        .cycleId("20261120-100000-abc")
        .project("shop")
        .createdAt(CREATED)
        .updatedAt(CREATED)
        .spec(".agent-os/specs/2026-11-20-cart")
        .workspace(Workspace.atPath("/repos/shop"))
        .build();
  }

  static Plan plan() {
    return Plan.of(
        "tasks.md",
        List.of(
            PlanStep.of("1", "1. Cart items", "- [ ] 1.1 tests", "1"),
            PlanStep.of("2", "2. Totals", "- [ ] 2.1 tests", "2"),
            PlanStep.of("3", "3. Documentation", null, "3")),
        List.of());
  }

  /** EXECUTING: step 1 done, step 2 running in its second attempt. */
  static CycleState executing() {
    Execution execution =
        new Execution(
            List.of(
                StepRecord.started("1", 1, CREATED.plusSeconds(1))
                    .finished(
                        StepStatus.COMPLETED,
                        CREATED.plusSeconds(4),
                        "Added the cart items",
                        null,
                        "abc123"),
                StepRecord.started("2", 2, CREATED.plusSeconds(5))),
            Extra.none());
    return queued().toBuilder()
        .status(Status.EXECUTING)
        .phase(Phase.EXECUTE)
        .updatedAt(CREATED.plusSeconds(5))
        .iterations(List.of(Iteration.first().withPlan(plan()).withExecution(execution)))
        .usage(UsageTotals.none().add(Phase.EXECUTE, new Usage(1200, 300, 0.0123, 3.5)))
        .build();
  }

  static CycleState completed() {
    Execution execution = Execution.empty();
    for (String id : List.of("1", "2", "3")) {
      execution =
          execution.with(
              StepRecord.started(id, 1, CREATED.plusSeconds(1))
                  .finished(
                      StepStatus.COMPLETED, CREATED.plusSeconds(2), "done " + id, null, null));
    }
    Iteration iteration =
        Iteration.first()
            .withPlan(plan())
            .withExecution(execution)
            .withExpress(
                ExpressResult.of(
                    "Iteration 1: 3 of 3 steps completed.",
                    ".agent-os/recaps/2026-11-20-cart.md",
                    null))
            .withReview(
                Review.of(
                    Verdict.PASS,
                    100,
                    List.of(new Check("every step completed", true, "3 of 3")),
                    List.of(),
                    List.of()));
    return queued().toBuilder()
        .status(Status.COMPLETED)
        .phase(Phase.REVIEW)
        .updatedAt(CREATED.plusSeconds(18))
        .iterations(List.of(iteration))
        .build();
  }

  static CycleState failed() {
    return executing().toBuilder()
        .status(Status.FAILED)
        .error(new CycleError(Phase.EXECUTE, ErrorCode.AGENT_FAILED, "the agent exited with 2"))
        .build();
  }

  static CycleState awaitingApproval() {
    return executing().toBuilder()
        .status(Status.AWAITING_APPROVAL)
        .approval(new PendingApproval(Gate.AFTER_PLAN, CREATED.plusSeconds(3)))
        .build();
  }
}
