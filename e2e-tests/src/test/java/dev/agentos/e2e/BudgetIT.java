package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Verdict;
import dev.agentos.testing.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A token budget pauses a cycle where it stands; resume with a higher budget completes it. */
class BudgetIT {
  private static final String KEY = "sk-executor-SECRET-93be";
  private static FakeOpenAiServer executor;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    executor = new FakeOpenAiServer();
    executor.answerAlways("Done: the step is implemented and its tests pass.", 400, 100);
    cluster = Cluster.withModelExecutor(executor, KEY, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    Cluster.closeAll(cluster, executor);
  }

  @Test
  void pausesAtTheTokenBudgetAndRunsTheRestAfterResumeWithMore() throws Exception {
    Path workspace = Workspaces.withSpec(3);
    String cycleId =
        cluster.submit(workspace, "{\"max_iterations\":1,\"budget\":{\"tokens\":1000}}");

    CycleState paused = cluster.awaitStatus(cycleId, Status.PAUSED, Duration.ofSeconds(60));
    assertTrue(paused.pauseReason().contains("token budget exhausted"), paused.pauseReason());
    assertEquals(1000, paused.usage().total().tokens());
    assertEquals(2, completedSteps(paused), "two steps of 500 tokens fit in 1000");
    assertEquals(2, executor.requests().size(), "no agent call beyond the budget");

    cluster.requestJson(
        Topology.apiSubject("resume"),
        "{\"cycle_id\":\"" + cycleId + "\",\"budget\":{\"tokens\":5000}}");
    // The model only says it did each step and changes no file: Review does not pass that.
    CycleState done = cluster.awaitStatus(cycleId, Status.FAILED, Duration.ofSeconds(60));
    assertEquals(Verdict.FAIL, done.currentIteration().review().verdict());
    assertEquals(3, completedSteps(done));
    assertEquals(3, executor.requests().size(), "the completed steps were not run again");
    List<StepRecord> steps = done.currentIteration().execution().steps();
    steps.forEach(s -> assertEquals(1, s.attempts(), "step " + s.id() + " ran once"));

    Secrets.assertNowhere(cluster, List.of(KEY));
  }

  private static long completedSteps(CycleState state) {
    return state.currentIteration().executionOrEmpty().steps().stream()
        .filter(s -> s.status() == StepStatus.COMPLETED)
        .count();
  }
}
