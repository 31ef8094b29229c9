package dev.agentos.agent.llm;

import static dev.agentos.testing.FakeModelServer.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentBackends;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.agent.ModelTools;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.tools.LoopWatch;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.agent.tools.ToolLoopFailure;
import dev.agentos.agent.tools.ToolSettings;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.FakeAnthropicServer;
import dev.agentos.testing.FakeModelServer;
import dev.agentos.testing.FakeOllamaServer;
import dev.agentos.testing.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model agent works in the workspace through its tools, with each provider's tool-calling wire
 * format: every call goes through the confined workspace accessor, a refused call is an error the
 * model reads, and the loop stops at its limits.
 */
class ToolLoopTest {
  static final String MODEL = "tool-model";
  static final PriceTable PRICES = new PriceTable(Map.of(MODEL, new PriceTable.Price(1.0, 2.0)));

  @TempDir Path dir;
  FakeModelServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Backend.class,
      names = {"OPENAI", "ANTHROPIC", "OLLAMA"})
  void anExecutorListsReadsPatchesWritesAndRunsThroughItsTools(Backend backend) throws Exception {
    Path workspace = workspace();
    server = serverFor(backend);
    server
        .toolCalls(100, 10, call("list_files", "{}"))
        .toolCalls(200, 10, call("read_file", "{\"path\":\"src/a.txt\",\"start_line\":2}"))
        .toolCalls(
            300,
            20,
            call(
                "apply_patch",
                json(
                    "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n"
                        + " three\n")))
        .toolCalls(
            400,
            20,
            call("write_file", "{\"path\":\"docs/new.md\",\"content\":\"hello\\n\"}"),
            call("run", "{\"command\":\"echo checked ok\"}"))
        .answer("Done: patched src/a.txt and wrote docs/new.md.", 500, 30);

    AgentResult result =
        agent(backend, ToolSettings.DEFAULT.withRun(List.of("echo")))
            .call(request(workspace), ToolAccess.executor(workspace));

    assertEquals("Done: patched src/a.txt and wrote docs/new.md.", result.text());
    assertEquals("one\nTWO\nthree\n", Files.readString(workspace.resolve("src/a.txt")));
    assertEquals("hello\n", Files.readString(workspace.resolve("docs/new.md")));
    assertEquals(1500, result.usage().tokensIn(), "the sum of the five turns");
    assertEquals(90, result.usage().tokensOut());
    assertEquals((1500 * 1.0 + 90 * 2.0) / 1e6, result.usage().costUsd(), 1e-12);
    String transcript = result.transcript();
    for (String expected :
        List.of(
            "call list_files",
            "result: src/",
            "call read_file",
            "src/a.txt lines 2-3 of 3",
            "call apply_patch",
            "result: patched src/a.txt",
            "call write_file",
            "result: created docs/new.md",
            "call run",
            "exit status 0; output:\nchecked ok",
            "answered after 5 turn(s)")) {
      assertTrue(transcript.contains(expected), expected + " in\n" + transcript);
    }
    List<FakeModelServer.RecordedRequest> requests = server.requests();
    assertEquals(5, requests.size());
    String first = requests.get(0).body();
    for (String tool : List.of("list_files", "read_file", "search", "write_file", "apply_patch")) {
      assertTrue(first.contains("\"" + tool + "\""), tool + " offered in " + first);
    }
    // The second turn carries the first call's result back in the provider's format.
    String second = requests.get(1).body().replace("\" : ", "\":");
    assertTrue(second.contains(resultMarker(backend)), second);
    assertTrue(second.contains("src/a.txt"), second);
  }

  @ParameterizedTest
  @EnumSource(
      value = Backend.class,
      names = {"OPENAI", "ANTHROPIC", "OLLAMA"})
  void refusedCallsComeBackToTheModelAsToolErrorsAndTheLoopGoesOn(Backend backend)
      throws Exception {
    Path workspace = workspace();
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "SECRET");
    Files.createSymbolicLink(workspace.resolve("link"), outside);
    server = serverFor(backend);
    server
        .toolCalls(
            100,
            10,
            call("read_file", "{\"path\":\"" + outside.resolve("secret.txt") + "\"}"),
            call("read_file", "{\"path\":\"../outside/secret.txt\"}"),
            call("read_file", "{\"path\":\"link/secret.txt\"}"),
            call("write_file", "{\"path\":\"link/planted.txt\",\"content\":\"x\"}"),
            call("run", "{\"command\":\"rm -rf src\"}"),
            call("apply_patch", json("this is not a diff")),
            call(
                "apply_patch",
                json("--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1,2 +1,2 @@\n nine\n-ten\n+TEN\n")))
        .answer("I could not do it.", 100, 10);

    AgentResult result =
        agent(backend, ToolSettings.DEFAULT.withRun(List.of("echo")))
            .call(request(workspace), ToolAccess.executor(workspace));

    assertEquals("I could not do it.", result.text());
    assertEquals("one\ntwo\nthree\n", Files.readString(workspace.resolve("src/a.txt")));
    assertFalse(Files.exists(outside.resolve("planted.txt")), "nothing written through the link");
    String back = server.requests().get(1).body();
    for (String error :
        List.of(
            "must be relative to the workspace",
            "contains '..'",
            "leads outside the workspace",
            "rm -rf src' is not allowed",
            "the patch holds no hunk",
            "the patch does not apply to src/a.txt")) {
      assertTrue(back.contains(error), error + " in\n" + back);
    }
    assertFalse(back.contains("SECRET"), "no byte of the file outside reached the model");
    assertEquals(7, result.transcript().split("\nerror: ", -1).length - 1, result.transcript());
  }

  @ParameterizedTest
  @EnumSource(
      value = Backend.class,
      names = {"OPENAI", "ANTHROPIC", "OLLAMA"})
  void aModelThatCallsToolsForeverIsStoppedAtTheTurnLimit(Backend backend) throws Exception {
    Path workspace = workspace();
    server = serverFor(backend);
    server.toolCallsAlways(50, 5, call("list_files", "{}"));

    ToolLoopFailure failure =
        assertThrows(
            ToolLoopFailure.class,
            () ->
                agent(backend, ToolSettings.DEFAULT.withMaxTurns(3))
                    .call(request(workspace), ToolAccess.executor(workspace)));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(
        failure.getMessage().contains("took 3 turns without a final answer"), failure.getMessage());
    assertTrue(
        failure.getMessage().contains("profiles.test.tools.max-turns"), failure.getMessage());
    assertEquals(3, server.requests().size());
    assertEquals(150, failure.usage().tokensIn(), "the turns' tokens are still counted");
    assertTrue(failure.transcript().contains("stopped: "), failure.transcript());
  }

  @Test
  void aLoopThatReachesItsTokenLimitIsStoppedWithTheReasonAndTheKeyToRaise() throws Exception {
    server = serverFor(Backend.OPENAI);
    server.toolCallsAlways(50, 5, call("list_files", "{}"));

    ToolLoopFailure failure = stopped(limits(100, ToolSettings.DEFAULT_MAX_TIME, List.of()));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(
        failure.getMessage().contains("used 110 tokens (the limit is 100)"), failure.getMessage());
    assertTrue(
        failure.getMessage().contains("profiles.test.tools.max-tokens"), failure.getMessage());
    assertEquals(2, server.requests().size(), "no turn after the one that crossed the limit");
    assertEquals(110, failure.usage().tokens(), "the turns' tokens are still counted");
  }

  @Test
  void aLoopThatOutlivesItsTimeLimitIsStoppedBeforeItsNextTurn() throws Exception {
    server = serverFor(Backend.OPENAI);
    // The first turn's command outlasts the loop's whole time limit.
    server.toolCallsAlways(50, 5, call("run", "{\"command\":\"sleep 2\"}"));

    ToolLoopFailure failure =
        stopped(limits(ToolSettings.DEFAULT_MAX_TOKENS, Duration.ofMillis(500), List.of("sleep")));

    assertEquals(ErrorCode.AGENT_TIMEOUT, failure.code());
    assertTrue(failure.getMessage().contains("ran for more than PT0.5S"), failure.getMessage());
    assertTrue(failure.getMessage().contains("profiles.test.tools.max-time"), failure.getMessage());
    assertEquals(1, server.requests().size(), "no model call once the time was up");
    assertTrue(failure.transcript().contains("call run"), failure.transcript());
  }

  /** The default settings with these token and time limits and commands to run. */
  private static ToolSettings limits(long maxTokens, Duration maxTime, List<String> run) {
    return new ToolSettings(
        true,
        ToolSettings.DEFAULT_MAX_TURNS,
        maxTokens,
        maxTime,
        run,
        ToolSettings.DEFAULT_RUN_TIMEOUT,
        ToolSettings.DEFAULT_RESULT_CHARS);
  }

  /** How an OpenAI-compatible executor's loop within {@code limits} failed. */
  private ToolLoopFailure stopped(ToolSettings limits) throws Exception {
    Path workspace = workspace();
    return assertThrows(
        ToolLoopFailure.class,
        () ->
            agent(Backend.OPENAI, limits).call(request(workspace), ToolAccess.executor(workspace)));
  }

  @ParameterizedTest
  @EnumSource(
      value = Backend.class,
      names = {"OPENAI", "ANTHROPIC", "OLLAMA"})
  void theWatchSeesEachTurnAndMayStopTheLoopWithItsReason(Backend backend) throws Exception {
    Path workspace = workspace();
    server = serverFor(backend);
    server.toolCallsAlways(50, 5, call("read_file", "{\"path\":\"src/a.txt\"}"));
    List<String> seen = new java.util.ArrayList<>();
    List<Long> tokens = new java.util.ArrayList<>();
    LoopWatch watch =
        (soFar, latest) -> {
          seen.add(latest);
          tokens.add(soFar.tokens());
          if (soFar.tokens() >= 100) {
            throw new AgentOsException(ErrorCode.BUDGET_EXHAUSTED, "token budget exhausted");
          }
        };

    ToolLoopFailure failure =
        assertThrows(
            ToolLoopFailure.class,
            () ->
                agent(backend, ToolSettings.DEFAULT)
                    .call(request(workspace), ToolAccess.executor(workspace).watched(watch)));

    assertEquals(ErrorCode.BUDGET_EXHAUSTED, failure.code());
    assertEquals(List.of(55L, 110L), tokens, "the usage of the turns so far, after each");
    assertEquals(2, server.requests().size(), "no model call after the watch stopped it");
    assertEquals(100, failure.usage().tokensIn(), "the turns' tokens are still counted");
    assertTrue(seen.get(1).contains("call read_file"), seen.get(1));
    assertTrue(seen.get(1).contains("result: src/a.txt (3 lines)"), seen.get(1));
    assertFalse(seen.get(1).contains("== turn 1"), "only the latest turn: " + seen.get(1));
    assertTrue(failure.transcript().contains("stopped: token budget exhausted"));
  }

  private Path workspace() throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Files.createDirectories(workspace.resolve("src"));
    Files.writeString(workspace.resolve("src/a.txt"), "one\ntwo\nthree\n");
    return workspace;
  }

  static FakeModelServer serverFor(Backend backend) {
    return switch (backend) {
      case OPENAI -> new FakeOpenAiServer();
      case ANTHROPIC -> new FakeAnthropicServer();
      case OLLAMA -> new FakeOllamaServer();
      default -> throw new IllegalArgumentException(backend + " is not a model backend");
    };
  }

  /** How each provider's request marks a tool's result. */
  static String resultMarker(Backend backend) {
    return backend == Backend.ANTHROPIC ? "\"tool_result\"" : "\"role\":\"tool\"";
  }

  private AgentBackend agent(Backend backend, ToolSettings tools) {
    return AgentBackends.create(
        AgentSettings.chat("executor", backend, MODEL, server.baseUrl(), "sk-test-key"),
        PRICES,
        List.of(),
        new ModelTools(tools, "agentos.profiles.test.tools"));
  }

  private static AgentRequest request(Path workspace) {
    return new AgentRequest(
        "executor", "Carry out step 1.", workspace, Duration.ofSeconds(20), Map.of());
  }

  /** {@code {"patch": text}} as JSON. */
  private static String json(String patch) {
    return "{\"patch\":"
        + "\""
        + patch.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
        + "\"}";
  }
}
