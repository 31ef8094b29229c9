package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Verdict;
import dev.agentos.testing.FakeAnthropicServer;
import dev.agentos.testing.FakeModelServer;
import dev.agentos.testing.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No cycle passes on its own word. An executor model that only says it did the step ("I implemented
 * the step: added hello.txt") changes nothing: the step is recorded with no files changed, and
 * Review — even with a review model that scores it 95 — does not pass it. A review model is shown
 * the cycle's diff, not just the agents' reports.
 */
class SelfReportIT {
  private static final String CLAIM = "I implemented the step: added hello.txt with the greeting.";
  private static final String CRITIQUE_95 =
      "{\"scores\":{\"completeness\":29,\"accuracy\":24,\"clarity\":19,\"compliance\":14,"
          + "\"usability\":9},\"feedback\":[],\"insights\":[]}";

  private static FakeOpenAiServer executor;
  private static FakeAnthropicServer review;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    executor = new FakeOpenAiServer();
    executor.answerAlways(CLAIM, 300, 40);
    review = new FakeAnthropicServer();
    review.answerAlways(CRITIQUE_95, 900, 100);
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.executor.backend", "openai",
                "agentos.agents.executor.model", "gpt-test",
                "agentos.agents.executor.base-url", executor.baseUrl(),
                "agentos.agents.executor.api-key", "sk-exec-test",
                "agentos.agents.review.backend", "anthropic",
                "agentos.agents.review.model", "claude-test",
                "agentos.agents.review.base-url", review.baseUrl(),
                "agentos.agents.review.api-key", "sk-ant-review-test",
                "agentos.profiles.recorder.command",
                    "bash " + Cluster.agentScript("recording-agent.sh")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    executor.close();
    review.close();
  }

  @Test
  void aModelThatOnlyClaimsTheStepIsRecordedWithNoChangesAndIsNotPassed() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, "{\"max_iterations\":1}");

    CycleState ended = cluster.awaitStatus(cycleId, Status.FAILED, Duration.ofSeconds(90));

    StepRecord step = ended.currentIteration().execution().steps().get(0);
    assertEquals(CLAIM, step.summary());
    assertEquals(new StepChanges(0, List.of(), StepChanges.GIT), step.changes());
    assertTrue(step.notes().get(0).startsWith("no files changed"), step.notes().toString());
    assertFalse(Files.exists(workspace.resolve("hello.txt")), "the model wrote nothing");
    Review verdict = ended.currentIteration().review();
    assertNotEquals(Verdict.PASS, verdict.verdict(), "a 95 from the model does not outweigh it");
    assertEquals(Verdict.FAIL, verdict.verdict());
    assertEquals(
        List.of(
            "the iteration changed the workspace",
            "every completed step changed files or said why not"),
        verdict.checks().stream().filter(c -> !c.passed()).map(Check::name).toList());
    String prompt = executor.lastRequest().body();
    assertTrue(prompt.contains("\"write_file\""), "the model was given its tools: " + prompt);
    assertTrue(prompt.contains("Where the cycle stands"), prompt);
    assertTrue(prompt.contains("[RUNNING] 1. "), prompt);
  }

  @Test
  void aReviewModelIsShownTheCyclesDiff() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"recorder\"}}");

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));

    assertEquals(Verdict.PASS, done.currentIteration().review().verdict());
    assertNull(done.currentIteration().review().unverified(), "the review model judged it");
    StepRecord first = done.currentIteration().execution().steps().get(0);
    assertTrue(first.changes().files().contains("work/step-1.txt"), first.changes().toString());
    String prompt = reviewPromptOf(cycleId);
    // The tasks.md ticks are a tracked diff; the agent's files are new files, shown with their
    // text.
    assertTrue(prompt.contains("-- [ ] 1. Task number 1"), prompt);
    assertTrue(prompt.contains("+- [x] 1. Task number 1"), prompt);
    assertTrue(prompt.contains("new file work/step-2.txt:"), prompt);
    assertTrue(prompt.contains("step 2 done"), prompt);
  }

  private static String reviewPromptOf(String cycleId) {
    return review.requests().stream()
        .map(FakeModelServer.RecordedRequest::body)
        .filter(body -> body.contains(cycleId))
        .reduce((a, b) -> b)
        .map(SelfReportIT::unescaped)
        .orElseThrow(() -> new AssertionError("no review request for " + cycleId));
  }

  /** The prompt as text: the request body is JSON, with its newlines escaped. */
  private static String unescaped(String body) {
    return body.replace("\\n", "\n").replace("\\\"", "\"");
  }

  private static String submit(Path workspace, String options) throws Exception {
    return cluster
        .requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, options))
        .path("cycle_id")
        .asText();
  }
}
