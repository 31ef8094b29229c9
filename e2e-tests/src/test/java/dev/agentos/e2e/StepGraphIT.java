package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.Status;
import dev.agentos.state.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A spec whose tasks declare dependencies, on the real services: the step that waits for a failed
 * step is SKIPPED with the reason, the independent step still runs, and Review names both.
 */
class StepGraphIT {
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.executor.command",
                "bash " + Cluster.agentScript("graph-agent.sh"),
                "agentos.executor.step-attempts",
                "1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
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
    String cycleId =
        cluster
            .requestJson(
                Topology.apiSubject("submit"),
                Workspaces.submit(workspace, "{\"max_iterations\":1}"))
            .path("cycle_id")
            .asText();

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
        List.of("1 1 failed", "3 1 start", "3 1 done"),
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
}
