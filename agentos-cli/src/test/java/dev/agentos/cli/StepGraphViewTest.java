package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Extra;
import dev.agentos.state.Iteration;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepGraphViewTest {
  /** Two chains, A→B→C and D→E→F: A done, B and D running side by side, E and C waiting. */
  private static CycleState twoChains() {
    Plan plan =
        Plan.of(
            "agent",
            List.of(
                step("1", "A"),
                step("2", "B", "1"),
                step("3", "C", "2"),
                step("4", "D"),
                step("5", "E", "4"),
                step("6", "F", "5")),
            List.of());
    Execution execution =
        new Execution(
            List.of(
                StepRecord.started("1", 1, States.CREATED)
                    .finished(StepStatus.COMPLETED, States.CREATED.plusSeconds(1), "a", null, null),
                StepRecord.started("2", 1, States.CREATED.plusSeconds(1)),
                StepRecord.started("4", 1, States.CREATED)),
            Extra.none());
    return States.executing().toBuilder()
        .iterations(List.of(Iteration.first().withPlan(plan).withExecution(execution)))
        .build();
  }

  private static PlanStep step(String id, String title, String... dependsOn) {
    return PlanStep.of(id, title, "", null).withDependsOn(List.of(dependsOn));
  }

  @Test
  void summarySaysWhatRunsSideBySideAndWhatWaitsForWhat() {
    assertEquals(
        Optional.of("running 2 B, 4 D | waiting 3 for 2; 5 for 4; 6 for 5"),
        StepGraphView.summary(twoChains().currentIteration()));
  }

  @Test
  void sequentialPlanHasNoGraphSummary() {
    assertEquals(Optional.empty(), StepGraphView.summary(States.executing().currentIteration()));
  }

  @Test
  void statusShowsWhichStepWaitsForWhich() {
    List<String> lines =
        CycleReport.lines(twoChains(), States.CREATED.plusSeconds(9), Style.plain());
    String text = String.join("\n", lines);

    assertTrue(text.contains("WAITS FOR"), text);
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("\\s+3\\s+C\\s+2 \\(waiting for 2\\)\\s+PENDING.*")),
        text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+2\\s+B\\s+1\\s+RUNNING.*")), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+4\\s+D\\s+-\\s+RUNNING.*")), text);
    assertTrue(text.contains("running 2 B, 4 D | waiting 3 for 2; 5 for 4; 6 for 5"), text);
  }

  @Test
  void statusOfASequentialPlanHasNoWaitsForColumn() {
    String text =
        String.join(
            "\n",
            CycleReport.lines(States.executing(), States.CREATED.plusSeconds(9), Style.plain()));

    assertFalse(text.contains("WAITS FOR"), text);
  }

  @Test
  void watchShowsTheRunningStepsSideBySide() {
    CycleState state = twoChains();

    assertTrue(
        WatchView.frame(state, States.CREATED.plusSeconds(9), Style.plain())
            .contains("  running 2 B, 4 D | waiting 3 for 2; 5 for 4; 6 for 5"));
    assertTrue(WatchView.key(state).contains("| running 2 B, 4 D |"), WatchView.key(state));
  }

  @Test
  void aStepAfterAFailedOneIsShownBlocked() {
    CycleState state = twoChains();
    Iteration it = state.currentIteration();
    Execution failed =
        it.executionOrEmpty()
            .with(
                StepRecord.started("4", 1, States.CREATED)
                    .finished(StepStatus.FAILED, States.CREATED, "no", null, null));

    Iteration after = it.withExecution(failed);
    assertEquals(
        "4 (blocked: 4 did not complete)",
        StepGraphView.waitsFor(StepGraphView.of(after).orElseThrow(), "5", failed));
    assertTrue(StepGraphView.summary(after).orElseThrow().endsWith("blocked 5"));
  }
}
