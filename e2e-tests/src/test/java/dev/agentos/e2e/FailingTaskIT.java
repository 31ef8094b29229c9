package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task the agent always fails: each step is tried as configured, then recorded FAILED with the
 * Agent OS blocking-issue marker in tasks.md; Review sends it round again while iterations remain
 * and then fails the cycle.
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
    String cycleId =
        cluster
            .requestJson(
                Topology.apiSubject("submit"),
                Workspaces.submit(workspace, "{\"max_iterations\":2}"))
            .path("cycle_id")
            .asText();

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
}
