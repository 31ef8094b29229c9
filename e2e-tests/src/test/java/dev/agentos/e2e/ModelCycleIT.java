package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.nats.Topology;
import dev.agentos.state.Band;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
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
 * A goal planned by an OpenAI-compatible model and reviewed by an Anthropic model (fake servers
 * with scripted answers): a malformed plan is sent back once, the first review asks for a fix, the
 * second iteration's planner is told what to fix, and the second review passes.
 */
class ModelCycleIT {
  private static final String PLANNER_KEY = "sk-planner-SECRET-7f3a9c";
  private static final String REVIEW_KEY = "sk-ant-review-SECRET-41d2";

  private static FakeOpenAiServer planner;
  private static FakeAnthropicServer review;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    planner = new FakeOpenAiServer();
    review = new FakeAnthropicServer();
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.planner.backend", "openai",
                "agentos.agents.planner.model", "gpt-test",
                "agentos.agents.planner.base-url", planner.baseUrl(),
                "agentos.agents.planner.api-key", PLANNER_KEY,
                "agentos.agents.review.backend", "anthropic",
                "agentos.agents.review.model", "claude-test",
                "agentos.agents.review.base-url", review.baseUrl(),
                "agentos.agents.review.api-key", REVIEW_KEY,
                "agentos.prices", "gpt-test=2/8,claude-test=3/15"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    planner.close();
    review.close();
  }

  @Test
  void revisesWithTheReviewFeedbackThenPasses() throws Exception {
    int before = planner.requests().size(); // the other test's requests, when it ran first
    planner
        .answer("Sure! Here is my plan: first the model, then the page.", 50, 12)
        .answer(
            "[{\"title\":\"Add the cart model\",\"detail\":\"cart.py with add/remove\"},"
                + "{\"title\":\"Add the cart page\",\"detail\":\"a page listing the items\"}]",
            120,
            40)
        .answer(
            "[{\"title\":\"Validate quantities\",\"detail\":\"reject quantity < 1\"}]", 130, 30);
    review
        .answer(
            critique(12, 15, 14, 10, 6, "Validate quantities", "cart.py", "negative counts crash"),
            900,
            200)
        .answer(critique(29, 24, 19, 14, 9, null, null, null), 950, 150);

    Path workspace = Files.createTempDirectory("agentos-goal-");
    JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("submit"),
            "{\"project\":\"shop\",\"goal\":\"Let customers keep items in a cart\","
                + "\"workspace\":{\"path\":\""
                + workspace
                + "\"},\"options\":{\"max_iterations\":3}}");
    String cycleId = reply.path("cycle_id").asText();
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));

    assertEquals(2, done.iterations().size(), "one revision");
    Iteration first = done.iterations().get(0);
    Iteration second = done.iterations().get(1);
    assertEquals(2, first.plan().steps().size(), "the valid plan after one correction");
    assertEquals(Verdict.REVISE, first.review().verdict());
    assertEquals(57, first.review().score());
    assertEquals(Band.LOW, first.review().band());
    assertEquals("Validate quantities", second.feedbackIn().get(0).what());
    assertEquals(Verdict.PASS, second.review().verdict());
    assertEquals(95, second.review().score());
    assertEquals(Band.HIGH, second.review().band());

    List<FakeModelServer.RecordedRequest> plans =
        planner.requests().subList(before, planner.requests().size());
    assertEquals(3, plans.size());
    assertTrue(plans.get(1).body().contains("previous answer was rejected"), "correction sent");
    assertTrue(plans.get(2).body().contains("Validate quantities"), "feedback in iteration 2");
    assertEquals("Bearer " + PLANNER_KEY, plans.get(0).header("Authorization"));
    assertEquals(REVIEW_KEY, review.lastRequest().header("x-api-key"));

    long tokens = done.usage().total().tokens();
    assertEquals(50 + 12 + 120 + 40 + 130 + 30 + 900 + 200 + 950 + 150, tokens);
    assertTrue(done.usage().total().costUsd() > 0, "priced from the configured table");

    JsonNode decisions =
        cluster.requestJson(Topology.apiSubject("decisions.list"), "{\"project\":\"shop\"}");
    assertTrue(
        decisions.toString().contains("Validate input at the boundary"),
        "the review's insight is in the decision log: " + decisions);

    Secrets.assertNowhere(cluster, List.of(PLANNER_KEY, REVIEW_KEY));
  }

  @Test
  void refusesAGoalPlanWithADependencyLoopNamingTheLoop() throws Exception {
    String loop =
        "[{\"title\":\"Add the model\",\"depends_on\":[]},"
            + "{\"title\":\"Add the API\",\"depends_on\":[1,3]},"
            + "{\"title\":\"Wire the UI\",\"depends_on\":[2]}]";
    planner.answer(loop, 60, 20).answer(loop, 60, 20);
    int before = planner.requests().size();

    Path workspace = Files.createTempDirectory("agentos-goal-loop-");
    String cycleId =
        cluster
            .requestJson(
                Topology.apiSubject("submit"),
                "{\"project\":\"shop\",\"goal\":\"Let customers export their orders\","
                    + "\"workspace\":{\"path\":\""
                    + workspace
                    + "\"}}")
            .path("cycle_id")
            .asText();
    CycleState failed = cluster.awaitStatus(cycleId, Status.FAILED, Duration.ofSeconds(90));

    assertEquals(Phase.PLAN, failed.error().phase());
    assertEquals(
        "the planner agent answered an invalid plan twice: dependency loop: 2 → 3 → 2 (2: Add the"
            + " API; 3: Wire the UI)",
        failed.error().message());
    assertEquals(null, failed.currentIteration().plan(), "no plan reached the executor");
    assertTrue(
        planner.requests().get(before + 1).body().contains("dependency loop: 2 → 3 → 2"),
        "the loop was sent back to the planner agent once");
  }

  private static String critique(
      int completeness,
      int accuracy,
      int clarity,
      int compliance,
      int usability,
      String what,
      String where,
      String why) {
    String feedback =
        what == null
            ? "[]"
            : "[{\"what\":\"" + what + "\",\"where\":\"" + where + "\",\"why\":\"" + why + "\"}]";
    return "{\"scores\":{\"completeness\":"
        + completeness
        + ",\"accuracy\":"
        + accuracy
        + ",\"clarity\":"
        + clarity
        + ",\"compliance\":"
        + compliance
        + ",\"usability\":"
        + usability
        + "},\"feedback\":"
        + feedback
        + ",\"insights\":[{\"title\":\"Validate input at the boundary\","
        + "\"context\":\"cart operations\",\"decision\":\"check quantities where requests enter\"}]}";
  }
}
