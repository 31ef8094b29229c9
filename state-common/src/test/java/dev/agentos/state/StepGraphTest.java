package dev.agentos.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepGraphTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  private static PlanStep step(String id, String... dependsOn) {
    return PlanStep.of(id, "step " + id, "", null).withDependsOn(List.of(dependsOn));
  }

  private static Execution execution(StepRecord... records) {
    Execution execution = Execution.empty();
    for (StepRecord record : records) {
      execution = execution.with(record);
    }
    return execution;
  }

  private static StepRecord ended(String id, StepStatus status) {
    return StepRecord.started(id, 1, T).finished(status, T, "", null, null);
  }

  private static List<String> ids(List<PlanStep> steps) {
    return steps.stream().map(PlanStep::id).toList();
  }

  @Test
  void planWithoutDependenciesIsSequential() {
    StepGraph graph = StepGraph.of(List.of(step("1"), step("2"), step("3")));

    assertTrue(graph.sequential());
    assertEquals(List.of(), graph.waitsFor("1"));
    assertEquals(List.of("2"), graph.waitsFor("3"));
    assertEquals(List.of("1"), ids(graph.ready(Execution.empty())));
    assertEquals(List.of("2"), ids(graph.ready(execution(ended("1", StepStatus.COMPLETED)))));
  }

  @Test
  void independentStepsAreAllReadyAtOnce() {
    StepGraph graph = StepGraph.of(List.of(step("1"), step("2", "1"), step("3"), step("4")));

    assertFalse(graph.sequential());
    assertEquals(List.of("1", "3", "4"), ids(graph.ready(Execution.empty())));
    assertEquals(List.of("2"), graph.waitedOnBy("1"));
  }

  @Test
  void twoChainsAdvanceEachOnItsOwn() {
    StepGraph graph =
        StepGraph.of(
            List.of(
                step("A"),
                step("B", "A"),
                step("C", "B"),
                step("D"),
                step("E", "D"),
                step("F", "E")));
    Execution afterA = execution(ended("A", StepStatus.COMPLETED), StepRecord.started("D", 1, T));

    assertEquals(List.of("B"), ids(graph.ready(afterA)));
    assertEquals(StepGraph.Readiness.RUNNING, graph.readiness("D", afterA));
    assertEquals(StepGraph.Readiness.WAITING, graph.readiness("E", afterA));
    assertEquals(List.of("D"), graph.openDependencies("E", afterA));
  }

  @Test
  void stepAfterFailedDependencyIsBlockedWhileIndependentOnesStayReady() {
    StepGraph graph = StepGraph.of(List.of(step("1"), step("2", "1"), step("3")));
    Execution failed = execution(ended("1", StepStatus.FAILED));

    assertEquals(StepGraph.Readiness.BLOCKED, graph.readiness("2", failed));
    assertEquals(List.of("3"), ids(graph.ready(failed)));
    assertEquals(List.of("1"), graph.failedDependencies("2", failed));
  }

  @Test
  void sequentialPlanMovesOnAfterAFailedStep() {
    StepGraph graph = StepGraph.of(List.of(step("1"), step("2")));

    assertEquals(List.of("2"), ids(graph.ready(execution(ended("1", StepStatus.FAILED)))));
  }

  @Test
  void orderPutsEachStepAfterWhatItWaitsForAndKeepsPlanOrderOtherwise() {
    StepGraph graph = StepGraph.of(List.of(step("1", "3"), step("2"), step("3"), step("4", "1")));

    assertEquals(List.of("2", "3", "1", "4"), ids(graph.ordered()));
  }

  @Test
  void refusesDependencyLoopNamingIt() {
    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () -> StepGraph.of(List.of(step("1"), step("2", "3"), step("3", "2"))));

    assertEquals(ErrorCode.PLAN_INVALID, e.code());
    assertEquals("dependency loop: 2 → 3 → 2 (2: step 2; 3: step 3)", e.getMessage());
  }

  @Test
  void refusesLongerLoopAndStepWaitingForItself() {
    AgentOsException longer =
        assertThrows(
            AgentOsException.class,
            () -> StepGraph.of(List.of(step("1", "3"), step("2", "1"), step("3", "2"))));
    AgentOsException self =
        assertThrows(AgentOsException.class, () -> StepGraph.of(List.of(step("1", "1"))));

    assertTrue(
        longer.getMessage().startsWith("dependency loop: 1 → 3 → 2 → 1 ("), longer.getMessage());
    assertTrue(self.getMessage().equals("dependency loop: 1 → 1 (1: step 1)"), self.getMessage());
  }

  @Test
  void refusesUnknownStepAndDuplicateIds() {
    AgentOsException unknown =
        assertThrows(AgentOsException.class, () -> StepGraph.of(List.of(step("1", "7"))));
    AgentOsException duplicate =
        assertThrows(AgentOsException.class, () -> StepGraph.of(List.of(step("1"), step("1"))));

    assertEquals(ErrorCode.PLAN_INVALID, unknown.code());
    assertTrue(unknown.getMessage().contains("step 1 depends on 7, which is not a step"));
    assertTrue(duplicate.getMessage().contains("two steps have the id 1"));
  }

  @Test
  void longChainIsCheckedWithoutDeepRecursion() {
    List<PlanStep> chain = new ArrayList<>();
    chain.add(step("0"));
    for (int i = 1; i < 5_000; i++) {
      chain.add(step(Integer.toString(i), Integer.toString(i - 1)));
    }

    assertEquals(5_000, StepGraph.of(chain).ordered().size());
  }
}
