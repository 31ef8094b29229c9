package dev.agentos.e2e;

import static dev.agentos.testing.FakeModelServer.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Verdict;
import dev.agentos.testing.Await;
import dev.agentos.testing.FakeAnthropicServer;
import dev.agentos.testing.FakeModelServer;
import dev.agentos.testing.FakeOllamaServer;
import dev.agentos.testing.FakeOpenAiServer;
import dev.agentos.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Model agents that work through tools, with each provider's wire format: a three-step spec cycle
 * whose executor model writes and patches files and whose review model reads the iteration's diff
 * with its git_diff tool completes with the changes in the workspace and PASS — once with an
 * OpenAI-compatible, an Anthropic and an Ollama model (all three cycles at once). A profile whose
 * model cannot call tools is refused for the executor at submit, and an executor whose own agent is
 * such a model does not start. An executor SIGKILLed in the middle of a model's tool loop: the
 * replica that takes the step over tells the model what the interrupted attempt did last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ToolAgentsIT {
  private static final String CRITIQUE =
      "{\"scores\":{\"completeness\":29,\"accuracy\":24,\"clarity\":18,\"compliance\":14,"
          + "\"usability\":9},\"feedback\":[],\"insights\":[]}";

  private static final Map<String, FakeModelServer> SERVERS = new LinkedHashMap<>();

  /** The model of the executor that is killed mid-loop, on its own server. */
  private static final FakeOpenAiServer CRASHING = new FakeOpenAiServer();

  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    SERVERS.put("oai", new FakeOpenAiServer());
    SERVERS.put("ant", new FakeAnthropicServer());
    SERVERS.put("oll", new FakeOllamaServer());
    Map<String, String> properties = new LinkedHashMap<>();
    SERVERS.forEach(
        (profile, server) -> {
          String backend =
              server instanceof FakeOpenAiServer
                  ? "openai"
                  : server instanceof FakeAnthropicServer ? "anthropic" : "ollama";
          properties.put("agentos.profiles." + profile + ".backend", backend);
          properties.put("agentos.profiles." + profile + ".model", profile + "-model");
          properties.put("agentos.profiles." + profile + ".base-url", server.baseUrl());
          properties.put("agentos.profiles." + profile + ".api-key", "sk-" + profile + "-test");
        });
    properties.put("agentos.profiles.tiny.backend", "ollama");
    properties.put("agentos.profiles.tiny.model", "tiny");
    properties.put("agentos.profiles.tiny.base-url", SERVERS.get("oll").baseUrl());
    properties.put("agentos.profiles.tiny.tools.calling", "false");
    properties.put("agentos.profiles.crash.backend", "openai");
    properties.put("agentos.profiles.crash.model", "crash-model");
    properties.put("agentos.profiles.crash.base-url", CRASHING.baseUrl());
    properties.put("agentos.profiles.crash.api-key", "sk-crash-test");
    cluster = Cluster.start(properties);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    SERVERS.values().forEach(FakeModelServer::close);
    CRASHING.close();
  }

  @Order(1)
  @Test
  void aThreeStepCycleWithEachProvidersModelChangesTheWorkspaceAndPasses() throws Exception {
    Map<String, Path> workspaces = new LinkedHashMap<>();
    Map<String, String> cycles = new LinkedHashMap<>();
    for (Map.Entry<String, FakeModelServer> entry : SERVERS.entrySet()) {
      script(entry.getValue());
      Path workspace = Workspaces.withSpec(3);
      workspaces.put(entry.getKey(), workspace);
      cycles.put(entry.getKey(), submit(workspace, entry.getKey()).path("cycle_id").asText());
    }

    for (String profile : SERVERS.keySet()) {
      CycleState done =
          cluster.awaitStatus(cycles.get(profile), Status.COMPLETED, Duration.ofSeconds(120));
      Path workspace = workspaces.get(profile);
      assertEquals("one\nONE MORE\n", Files.readString(workspace.resolve("work/one.txt")), profile);
      assertEquals("three\n", Files.readString(workspace.resolve("work/three.txt")), profile);
      List<StepRecord> steps = done.currentIteration().execution().steps();
      assertEquals(
          List.of(List.of("work/one.txt"), List.of("work/one.txt"), List.of("work/three.txt")),
          steps.stream().map(s -> s.changes().files()).toList(),
          profile);
      steps.forEach(s -> assertNotNull(s.artifact(), profile + ": the step's transcript is kept"));
      Review review = done.currentIteration().review();
      assertEquals(Verdict.PASS, review.verdict(), profile + ": " + review);
      assertNull(review.unverified(), profile + ": the review model judged it");
      String afterDiff = SERVERS.get(profile).lastRequest().body();
      assertTrue(afterDiff.contains("new file work/three.txt"), profile + ": " + afterDiff);
      assertEquals(0, SERVERS.get(profile).scriptLeft(), profile);
    }
  }

  @Order(2)
  @Test
  void aProfileThatCannotCallToolsIsRefusedForTheExecutorAtSubmit() throws Exception {
    JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("submit"),
            Workspaces.submit(Workspaces.withSpec(1), "{\"agents\":{\"executor\":\"tiny\"}}"));

    String message = reply.path("error").path("message").asText();
    assertEquals("INVALID_REQUEST", reply.path("error").path("code").asText(), reply.toString());
    assertTrue(message.contains("agent profile 'tiny'"), message);
    assertTrue(message.contains("agentos.profiles.tiny.tools.calling=false"), message);
  }

  @Order(3)
  @Test
  void anExecutorWhoseOwnAgentCannotCallToolsDoesNotStartAndSaysWhyAtEveryTry() throws Exception {
    Map<String, String> properties = new LinkedHashMap<>(cluster.properties());
    properties.put("agentos.agents.executor.profile", "tiny");
    properties.put("agentos.start-retry", "200ms");
    ServiceProcess refused =
        ServiceProcess.start(
            "executor-toolless",
            Cluster.repoRoot().resolve("executor-service/target/quarkus-app/quarkus-run.jar"),
            properties,
            cluster.logDir);
    try {
      String why =
          "the service cannot start: agent profile 'tiny' (agentos.agents.executor.profile) is a"
              + " ollama model that cannot call tools (agentos.profiles.tiny.tools.calling=false)";
      Await.until(
          Cluster.READY,
          "the refusal twice in " + refused.log(),
          () -> Files.exists(refused.log()) && timesIn(refused.log(), why) >= 2);

      String log = Files.readString(refused.log());
      assertTrue(log.contains("or a CLI agent profile (backend command)"), log);
      assertNotEquals(200, refused.healthStatus("ready"), "it is never ready");
      assertFalse(log.contains("Agent OS service is ready"), log);
    } finally {
      refused.kill();
    }
  }

  /** How many times {@code text} is in the file so far. */
  private static int timesIn(Path log, String text) {
    try {
      return Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length - 1;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Last: it kills an executor (the replica it adds serves on). */
  @Order(4)
  @Test
  void aRetryAfterAnExecutorDiedMidLoopIsToldWhatTheInterruptedAttemptDidLast() throws Exception {
    cluster.addReplica("executor", "executor-b");
    CRASHING
        .toolCalls(
            300,
            30,
            call(
                "write_file",
                "{\"path\":\"work/half.txt\",\"content\":\"written-before-the-crash\\n\"}"))
        .hang()
        // The attempt that takes over finishes the file: what a step changed is measured from
        // the start of the attempt that completes it.
        .toolCalls(
            300,
            30,
            call(
                "write_file",
                "{\"path\":\"work/half.txt\",\"content\":\"written-before-the-crash\\nand"
                    + " after\\n\"}"))
        .answer("Step 1: finished work/half.txt.", 400, 20)
        .answer(CRITIQUE, 1200, 80);
    Path workspace = Workspaces.withSpec(1);
    String cycleId =
        cluster
            .requestJson(
                Topology.apiSubject("submit"),
                Workspaces.submit(
                    workspace,
                    "{\"max_iterations\":1,\"agents\":{\"executor\":\"crash\",\"review\":\"crash\"}}"))
            .path("cycle_id")
            .asText();

    Await.until(
        Duration.ofSeconds(90),
        "the loop's first turn saved in the step's record with a heartbeat",
        () ->
            CRASHING.requests().size() >= 2
                && onlyStep(cluster.state(cycleId))
                    .map(StepRecord::lastOutput)
                    .filter(o -> o.contains("written-before-the-crash"))
                    .isPresent());
    ServiceProcess holder =
        cluster.services().values().stream()
            .filter(
                s -> Kills.leasedBy(cluster, s).stream().anyMatch(c -> c.cycleId().equals(cycleId)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no executor holds the cycle"));
    holder.kill();

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(120));

    StepRecord step = onlyStep(done).orElseThrow();
    assertEquals(2, step.attempts(), "the interrupted attempt and the one that took it over");
    assertNull(step.lastOutput(), "a finished step drops it");
    assertEquals(List.of("work/half.txt"), step.changes().files());
    assertEquals(
        5, CRASHING.requests().size(), "two turns before the kill, two after, then the review");
    String retryPrompt = CRASHING.requests().get(2).body();
    assertTrue(retryPrompt.contains("interrupted attempt's last output"), retryPrompt);
    assertTrue(retryPrompt.contains("call write_file"), retryPrompt);
    assertTrue(retryPrompt.contains("written-before-the-crash"), retryPrompt);
    assertTrue(retryPrompt.contains("result: created work/half.txt"), retryPrompt);
  }

  private static java.util.Optional<StepRecord> onlyStep(CycleState state) {
    if (state == null || state.currentIteration().plan() == null) {
      return java.util.Optional.empty();
    }
    String id = state.currentIteration().plan().steps().get(0).id();
    return state.currentIteration().executionOrEmpty().step(id);
  }

  /** Three executor steps that change files through tools, then a review that reads the diff. */
  private static void script(FakeModelServer server) {
    server
        .toolCalls(
            300, 30, call("write_file", "{\"path\":\"work/one.txt\",\"content\":\"one\\n\"}"))
        .answer("Step 1: wrote work/one.txt.", 400, 20)
        .toolCalls(300, 30, call("read_file", "{\"path\":\"work/one.txt\"}"))
        .toolCalls(
            300,
            30,
            call(
                "apply_patch",
                "{\"patch\":\"--- a/work/one.txt\\n+++ b/work/one.txt\\n@@ -1 +1,2 @@\\n one\\n"
                    + "+ONE MORE\\n\"}"))
        .answer("Step 2: extended work/one.txt.", 400, 20)
        .toolCalls(
            300, 30, call("write_file", "{\"path\":\"work/three.txt\",\"content\":\"three\\n\"}"))
        .answer("Step 3: wrote work/three.txt.", 400, 20)
        .toolCalls(900, 30, call("git_diff", "{}"))
        .answer(CRITIQUE, 1200, 80);
  }

  private static JsonNode submit(Path workspace, String profile) throws Exception {
    return cluster.requestJson(
        Topology.apiSubject("submit"),
        Workspaces.submit(
            workspace,
            "{\"max_iterations\":1,\"agents\":{\"executor\":\""
                + profile
                + "\",\"review\":\""
                + profile
                + "\"}}"));
  }
}
