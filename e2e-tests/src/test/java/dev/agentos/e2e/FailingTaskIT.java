package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.Status;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task the agent always fails: each step is tried as configured, then recorded FAILED with the
 * Agent OS blocking-issue marker in tasks.md; Review sends it round again while iterations remain
 * and then fails the cycle. With tasks that declare dependencies, the step that waits for the
 * failed one is SKIPPED with the reason while an independent step still runs.
 */
class FailingTaskIT {
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.executor.command",
                "bash " + Cluster.agentScript("failing-agent.sh"),
                "agentos.executor.step-attempts",
                "2"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void marksTheTaskBlockedRevisesThenFails() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, 2);

    CycleState failed = cluster.awaitStatus(cycleId, Status.FAILED, Duration.ofSeconds(90));
    assertEquals(ErrorCode.REVIEW_FAILED, failed.error().code());
    assertEquals(Verdict.REVISE, failed.iterations().get(0).review().verdict());
    assertEquals(Verdict.FAIL, failed.iterations().get(1).review().verdict());
    var step = failed.iterations().get(0).execution().steps().get(0);
    assertEquals(StepStatus.FAILED, step.status());
    assertEquals(2, step.attempts(), "tried as often as configured");
    assertTrue(step.summary().contains("compile error"), step.summary());

    String tasks = Files.readString(workspace.resolve(Workspaces.SPEC + "/tasks.md"));
    assertTrue(tasks.contains("⚠️ Blocking issue:"), tasks);
    assertTrue(tasks.contains("compile error"), tasks);
    assertTrue(tasks.contains("- [ ] 1. Task number 1"), "the task stays unticked:\n" + tasks);
    assertEquals(4, Workspaces.agentCalls(workspace).size(), "2 attempts in each of 2 iterations");
  }

  @Test
  void skipsTheStepAfterAFailedOneAndRunsTheIndependentOne() throws Exception {
    Path workspace =
        Workspaces.withFiles(
            Map.of(
                Workspaces.SPEC + "/spec.md",
                "# Spec: Orders\n\nCustomers see their orders.\n",
                Workspaces.SPEC + "/tasks.md",
                "# Spec Tasks\n\n"
                    + "- [ ] 1. Order model\n"
                    + "- [ ] 2. Order API (Depends on: Task 1)\n"
                    + "- [ ] 3. Order docs\n"));
    String cycleId = submit(workspace, 1);

    CycleState ended = cluster.awaitStatus(cycleId, Status.FAILED, Duration.ofSeconds(120));

    Iteration first = ended.iterations().get(0);
    assertEquals(List.of("1"), first.plan().steps().get(1).dependsOn());
    Execution execution = first.execution();
    assertEquals(StepStatus.FAILED, execution.step("1").orElseThrow().status());
    assertEquals(StepStatus.SKIPPED, execution.step("2").orElseThrow().status());
    assertEquals(
        "not run: it waits for step 1, which did not complete",
        execution.step("2").orElseThrow().summary());
    assertEquals(StepStatus.COMPLETED, execution.step("3").orElseThrow().status());
    assertEquals(
        List.of("1 1 failed", "1 2 failed", "3 1 start", "3 1 done"),
        Workspaces.agentCalls(workspace).stream()
            .map(line -> line.substring(line.indexOf(' ') + 1))
            .toList(),
        "step 2 never reached the agent");
    String tasks = Files.readString(workspace.resolve(Workspaces.SPEC + "/tasks.md"));
    assertTrue(tasks.contains("- [x] 3. Order docs"), tasks);
    assertTrue(tasks.contains("- [ ] 2. Order API"), tasks);
    assertTrue(tasks.contains("not run: it waits for step 1"), tasks);
    assertTrue(
        first.review().checks().get(0).detail().contains("SKIPPED (not run: it waits for step 1"),
        first.review().checks().get(0).detail());
  }

  private static String submit(Path workspace, int maxIterations) throws Exception {
    return cluster
        .requestJson(
            Topology.apiSubject("submit"),
            Workspaces.submit(workspace, "{\"max_iterations\":" + maxIterations + "}"))
        .path("cycle_id")
        .asText();
  }
}
