package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Topology;
import dev.agentos.state.AgentSession;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.testing.Await;
import dev.agentos.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The coding-agent CLIs people use, as profiles: a cycle per preset runs its (fake) tool and the
 * state holds the tokens and cost the tool reported (or the price table gave them); a cost budget
 * pauses a cycle whose Claude Code agent spends past it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAgentsIT {
  private static Cluster cluster;
  private static Path scratch;
  private static final List<CycleEvent> outputs = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final List<CycleEvent> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    scratch = Files.createTempDirectory("agentos-agent-homes-");
    cluster =
        Cluster.start(
            Map.ofEntries(
                Map.entry("agentos.profiles.claude.backend", "claude-code"),
                Map.entry("agentos.profiles.claude.command", fake("claude")),
                Map.entry("agentos.profiles.claude.permission-mode", "acceptEdits"),
                Map.entry("agentos.profiles.claude.max-turns", "20"),
                Map.entry("agentos.profiles.claude-slow.backend", "claude-code"),
                Map.entry(
                    "agentos.profiles.claude-slow.command", fake("claude") + " --fake-sleep 6"),
                Map.entry("agentos.profiles.claude-asks.backend", "claude-code"),
                Map.entry(
                    "agentos.profiles.claude-asks.command",
                    fake("claude") + " --fake-question Which-currency-do-prices-use?"),
                Map.entry("agentos.profiles.codex.backend", "codex"),
                Map.entry("agentos.profiles.codex.command", fake("codex")),
                Map.entry("agentos.profiles.codex.model", "gpt-5-codex"),
                Map.entry("agentos.profiles.codex.sandbox", "workspace-write"),
                Map.entry("agentos.profiles.codex-asks.backend", "codex"),
                Map.entry(
                    "agentos.profiles.codex-asks.command",
                    fake("codex") + " --fake-question Which-currency-do-prices-use?"),
                Map.entry("agentos.profiles.gemini.backend", "gemini-cli"),
                Map.entry("agentos.profiles.gemini.command", fake("gemini")),
                Map.entry("agentos.profiles.gemini-asks.backend", "gemini-cli"),
                Map.entry(
                    "agentos.profiles.gemini-asks.command",
                    fake("gemini") + " --fake-question Which-currency-do-prices-use?"),
                Map.entry("agentos.profiles.aider.backend", "aider"),
                Map.entry("agentos.profiles.aider.command", fake("aider")),
                Map.entry("agentos.profiles.aider.model", "gpt-4.1"),
                Map.entry(
                    "agentos.prices",
                    "gpt-5-codex=1.25/10,gemini-2.5-pro=1.25/10,gemini-2.5-flash=0.3/2.5"),
                Map.entry("agentos.process.scratch-dir", scratch.toString())));
    cluster
        .nc
        .createDispatcher(m -> outputs.add(Json.read(m.getData(), CycleEvent.class)))
        .subscribe(Topology.eventSubject("*", EventType.OUTPUT.wire()));
    io.nats.client.Dispatcher questions =
        cluster.nc.createDispatcher(m -> asked.add(Json.read(m.getData(), CycleEvent.class)));
    questions.subscribe(Topology.eventSubject("*", EventType.QUESTION.wire()));
    questions.subscribe(Topology.eventSubject("*", EventType.ANSWERED.wire()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String fake(String tool) {
    return Cluster.repoRoot()
        .resolve("agent-runtime/src/test/resources/fake-cli/" + tool)
        .toString();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // profile, tokens in and out per step, cost per step (reported, or from the price table)
    "claude, 2000, 250, 0.0421, claude-sonnet-4-5",
    "codex, 2000, 300, 0.0055, gpt-5-codex",
    "gemini, 3500, 550, 0.009025, gemini-2.5-pro",
    "aider, 4600, 211, 0.0138, gpt-4.1",
  })
  void aCycleWithThePresetCompletesWithTheUsageTheToolReported(
      String profile, long in, long out, double cost, String model) throws Exception {
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"" + profile + "\"}}");

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));
    if (!profile.equals("gemini")) { // Gemini CLI's JSON output comes whole at the end
      Await.until(
          Duration.ofSeconds(10),
          "a live file_edit output event of " + profile,
          () ->
              outputs.stream()
                  .anyMatch(
                      e ->
                          e.cycleId().equals(cycleId)
                              && e.message().contains("file_edit")
                              && e.message().contains("work/step-")));
    }

    Usage execute = done.usage().phases().get(Phase.EXECUTE);
    assertEquals(2 * in, execute.tokensIn(), profile + " input tokens, cache included");
    assertEquals(2 * out, execute.tokensOut(), profile + " output tokens");
    assertEquals(2 * cost, execute.costUsd(), 1e-9, profile + " cost");
    assertEquals(model, done.usage().models().get(Phase.EXECUTE));
    List<String> calls = Files.readAllLines(workspace.resolve(".fake-cli.log"));
    assertEquals(2, calls.size(), "one run per step: " + calls);
    for (String call : calls) {
      String home = call.replaceAll(".* home=(\\S+).*", "$1");
      assertTrue(Path.of(home).startsWith(scratch), "a HOME of its own under scratch: " + call);
    }
  }

  @Order(1)
  @Test
  void aCostBudgetPausesACycleWhoseClaudeAgentSpendsPastIt() throws Exception {
    Path workspace = Workspaces.withSpec(3);
    String cycleId =
        submit(workspace, "{\"agents\":{\"executor\":\"claude\"},\"budget\":{\"cost_usd\":0.05}}");

    CycleState paused = cluster.awaitStatus(cycleId, Status.PAUSED, Duration.ofSeconds(90));

    assertTrue(paused.pauseReason().contains("cost budget"), paused.pauseReason());
    assertEquals(2 * 0.0421, paused.usage().total().costUsd(), 1e-9);
    long completed =
        paused.currentIteration().executionOrEmpty().steps().stream()
            .filter(s -> s.status() == StepStatus.COMPLETED)
            .count();
    assertEquals(2, completed, "the second step took the cost past 0.05; the third never ran");
    assertEquals(2, Files.readAllLines(workspace.resolve(".fake-cli.log")).size());
  }

  @Order(1)
  @Test
  void watchFollowPrintsTheAgentsLiveOutputWhileItRuns() throws Exception {
    CliRunner cli = cli();
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"claude-slow\"}}");

    CliRunner.Result watch =
        cli.run("watch", cycleId, "--follow", "--timeout", "90s", "--nats", cluster.nats.url());

    assertEquals(0, watch.code(), watch.toString());
    assertTrue(watch.out().contains("file_edit: Write work/step-"), watch.out());
    assertTrue(watch.out().contains("COMPLETED"), watch.out());

    // The events stream kept them: logs -f replays them and stops at the cycle's end.
    CliRunner.Result logs = cli.run("logs", cycleId, "-f", "--nats", cluster.nats.url());
    assertEquals(0, logs.code(), logs.toString());
    assertTrue(logs.out().contains("message: Looking at step"), logs.out());
    assertTrue(logs.out().contains("file_edit: Write work/step-"), logs.out());
    assertTrue(logs.out().contains("COMPLETED"), logs.out());
  }

  @Order(1)
  @Test
  void anAgentAsksAPersonAndTheAnswerResumesItsOwnSessionUntilTheCycleCompletes() throws Exception {
    CliRunner cli = cli();
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"claude-asks\"}}");

    CycleState waiting = cluster.awaitStatus(cycleId, Status.NEEDS_INPUT, Duration.ofSeconds(90));

    assertEquals(Phase.EXECUTE, waiting.phase());
    assertEquals("1", waiting.question().stepId());
    assertEquals("Which-currency-do-prices-use?", waiting.question().text());
    assertEquals("the spec does not say", waiting.question().context());
    StepRecord asking = firstStep(waiting).orElseThrow();
    assertEquals(StepStatus.RUNNING, asking.status(), "the step is not done while it waits");
    assertTrue(asking.agentSession().saved() != null, "its session file was kept at exit");
    assertTrue(
        Files.readString(workspace.resolve(Workspaces.SPEC).resolve("tasks.md"))
            .startsWith("# Spec Tasks\n\n## Tasks\n\n- [ ] 1."),
        "its box is not ticked");
    Await.until(
        Duration.ofSeconds(10),
        "the question event",
        () ->
            asked.stream()
                .anyMatch(
                    e ->
                        e.cycleId().equals(cycleId)
                            && e.type().equals("question")
                            && e.detail().path("step_id").asText().equals("1")
                            && e.detail()
                                .path("text")
                                .asText()
                                .equals("Which-currency-do-prices-use?")));
    CliRunner.Result shown = cli.run("status", cycleId, "--nats", cluster.nats.url());
    assertTrue(shown.out().contains("Which-currency-do-prices-use?"), shown.out());
    assertTrue(shown.out().contains("agentos answer " + cycleId), shown.out());

    CliRunner.Result answered =
        cli.run("answer", cycleId, "EUR everywhere", "--nats", cluster.nats.url());
    assertEquals(0, answered.code(), answered.toString());
    assertTrue(answered.out().contains("EXECUTING"), answered.out());
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));

    List<String> runs = runsOfStep(workspace, "claude", "1");
    assertEquals(2, runs.size(), "the run that asked and the one after the answer: " + runs);
    String session = asking.agentSession().id();
    assertTrue(runs.get(0).contains("session=" + session + " resume=no"), runs.get(0));
    assertTrue(
        runs.get(1).contains("session=" + session + " resume=" + session + " earlier=1"),
        "the same session resumed, seeing its earlier turn: " + runs.get(1));
    assertTrue(runs.get(1).endsWith("heard=EUR everywhere"), "and the answer: " + runs.get(1));
    StepRecord first = firstStep(done).orElseThrow();
    assertEquals(StepStatus.COMPLETED, first.status());
    assertEquals("EUR everywhere", first.lastAnswer().orElseThrow().answer());
    assertTrue(first.summary().contains("Continued session " + session), first.summary());
    assertTrue(
        first.notes().stream().anyMatch(n -> n.contains("answered the agent's question")),
        String.valueOf(first.notes()));
    assertNull(done.question());
    Await.until(
        Duration.ofSeconds(10),
        "the answered event",
        () ->
            asked.stream()
                .anyMatch(e -> e.cycleId().equals(cycleId) && e.type().equals("answered")));

    // The agent's decisions are in the team's decision log; its malformed line was not.
    io.nats.client.KeyValue decisions = cluster.nc.keyValue(Topology.DECISIONS_BUCKET);
    List<String> titles = new java.util.ArrayList<>();
    for (String key : decisions.keys("shop.*")) {
      if (key.startsWith("shop." + cycleId + "-")) {
        titles.add(Json.tree(decisions.get(key).getValue()).path("title").asText());
      }
    }
    java.util.Collections.sort(titles);
    assertEquals(List.of("Money as integer cents", "One currency per cart"), titles);

    // An answer to a cycle that waits for none: a clear error, and nothing changes.
    CliRunner.Result late = cli.run("answer", cycleId, "USD", "--nats", cluster.nats.url());
    assertEquals(5, late.code(), late.toString());
    assertTrue(late.err().contains("not waiting for an answer"), late.err());
    CycleState after = cluster.state(cycleId);
    assertEquals(Status.COMPLETED, after.status());
    assertEquals(done.updatedAt(), after.updatedAt(), "nothing was written");
    assertEquals(done.requeues(), after.requeues());
  }

  @Order(1)
  @Test
  void aCodexAgentAsksAPersonAndTheAnswerResumesItsOwnThread() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"codex-asks\"}}");

    CycleState waiting = cluster.awaitStatus(cycleId, Status.NEEDS_INPUT, Duration.ofSeconds(90));

    assertEquals("1", waiting.question().stepId());
    assertEquals("Which-currency-do-prices-use?", waiting.question().text());
    StepRecord asking = firstStep(waiting).orElseThrow();
    assertEquals(StepStatus.RUNNING, asking.status(), "the step is not done while it waits");
    AgentSession thread = asking.agentSession();
    assertEquals("codex", thread.tool());
    assertTrue(thread.saved() != null, "its rollout file was kept at exit: " + thread);
    assertTrue(thread.file().contains("rollout-"), thread.file());

    CycleState done = answerOverNatsAndAwaitCompleted(cycleId, "EUR everywhere");

    List<String> runs = runsOfStep(workspace, "codex", "1");
    assertEquals(2, runs.size(), "the run that asked and the one after the answer: " + runs);
    assertTrue(runs.get(0).contains("session=" + thread.id() + " resume=no"), runs.get(0));
    assertTrue(
        runs.get(1).contains("session=" + thread.id() + " resume=" + thread.id() + " earlier=1"),
        "exec resume <the same thread id>, seeing its earlier turn: " + runs.get(1));
    assertNotEquals(home(runs.get(0)), home(runs.get(1)), "each run has a HOME of its own");
    assertTrue(runs.get(1).endsWith("heard=EUR everywhere"), "and the answer: " + runs.get(1));
    StepRecord first = firstStep(done).orElseThrow();
    assertEquals(StepStatus.COMPLETED, first.status());
    assertEquals("EUR everywhere", first.lastAnswer().orElseThrow().answer());
    assertTrue(first.summary().contains("Continued thread " + thread.id()), first.summary());
    assertTrue(
        first.notes().stream()
            .anyMatch(n -> n.contains("session " + thread.id() + " was restored and resumed")),
        String.valueOf(first.notes()));
    assertNull(done.question());
  }

  @Order(1)
  @Test
  void aGeminiAgentThatAsksCannotResumeSoTheAnswerStartsTheStepFreshAndTheStepSaysSo()
      throws Exception {
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"gemini-asks\"}}");

    CycleState waiting = cluster.awaitStatus(cycleId, Status.NEEDS_INPUT, Duration.ofSeconds(90));
    assertEquals("Which-currency-do-prices-use?", waiting.question().text());
    assertEquals(StepStatus.RUNNING, firstStep(waiting).orElseThrow().status());

    CycleState done = answerOverNatsAndAwaitCompleted(cycleId, "EUR everywhere");

    List<String> runs = runsOfStep(workspace, "gemini", "1");
    assertEquals(2, runs.size(), "the run that asked and the fresh one after the answer: " + runs);
    assertTrue(runs.get(0).endsWith("heard="), runs.get(0));
    assertTrue(runs.get(1).endsWith("heard=EUR everywhere"), "its prompt has it: " + runs.get(1));
    StepRecord first = firstStep(done).orElseThrow();
    assertEquals(StepStatus.COMPLETED, first.status());
    assertEquals("EUR everywhere", first.lastAnswer().orElseThrow().answer());
    assertTrue(
        first.notes().stream()
            .anyMatch(
                n ->
                    n.contains(
                        "gemini-cli cannot resume its session, so the agent started fresh with"
                            + " the question and the answer in its prompt")),
        String.valueOf(first.notes()));
  }

  /** Last: it kills an executor (the replica it adds serves on). */
  @Order(2)
  @Test
  void aReplicaTakingOverAClaudeStepRestoresAndResumesTheAgentsOwnSession() throws Exception {
    Path otherScratch = Files.createTempDirectory("agentos-agent-homes-b-");
    cluster.addReplica(
        "executor", "executor-b", Map.of("agentos.process.scratch-dir", otherScratch.toString()));
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, "{\"agents\":{\"executor\":\"claude-slow\"}}");

    java.util.concurrent.atomic.AtomicReference<AgentSession> copied =
        new java.util.concurrent.atomic.AtomicReference<>();
    Await.until(
        Duration.ofSeconds(60),
        "the first step's session file copied and its output saved with the heartbeats",
        () -> {
          Optional<StepRecord> first = firstStep(cluster.state(cycleId));
          first.map(StepRecord::agentSession).filter(s -> s.saved() != null).ifPresent(copied::set);
          return copied.get() != null
              && first
                  .map(StepRecord::lastOutput)
                  .filter(o -> o.contains("message: Looking at step"))
                  .isPresent();
        });
    AgentSession saved = copied.get();
    ServiceProcess holder =
        cluster.services().values().stream()
            .filter(s -> !Kills.leasedBy(cluster, s).isEmpty())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no executor holds the cycle"));
    holder.kill();

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(120));

    StepRecord first = firstStep(done).orElseThrow();
    String firstId = first.id();
    List<String> runs = runsOfStep(workspace, "claude", firstId);
    assertEquals(2, runs.size(), "the interrupted run and the resumed one: " + runs);
    assertTrue(runs.get(0).contains("session=" + saved.id() + " resume=no"), runs.get(0));
    assertTrue(
        runs.get(1).contains("session=" + saved.id() + " resume=" + saved.id() + " earlier=1"),
        "resumed with --resume <same id>, seeing its earlier turn: " + runs.get(1));
    assertNotEquals(
        home(runs.get(0)).getParent(),
        home(runs.get(1)).getParent(),
        "another replica, another scratch HOME: " + runs);
    assertTrue(first.summary().contains("Continued session " + saved.id()), first.summary());
    assertEquals(2, first.attempts());
    assertTrue(
        first.notes().stream().anyMatch(n -> n.contains("restored and resumed")),
        String.valueOf(first.notes()));
    for (StepRecord step : done.currentIteration().execution().steps()) {
      if (!step.id().equals(firstId)) {
        assertEquals(1, step.attempts(), "step " + step.id() + " ran once");
      }
    }
    long laterRuns =
        Files.readAllLines(workspace.resolve(".fake-cli.log")).stream()
            .filter(l -> !l.startsWith("claude step=" + firstId + " "))
            .count();
    assertEquals(1, laterRuns, "the second step ran once, after the first completed");
  }

  /** Answers over agentos.api.answer, which puts the cycle back to work; waits for COMPLETED. */
  private static CycleState answerOverNatsAndAwaitCompleted(String cycleId, String answer)
      throws Exception {
    com.fasterxml.jackson.databind.JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("answer"),
            Json.writeString(Map.of("cycle_id", cycleId, "answer", answer)));
    assertEquals("EXECUTING", reply.path("status").asText(), reply.toString());
    return cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));
  }

  private static java.util.Optional<StepRecord> firstStep(CycleState state) {
    if (state.currentIteration().plan() == null) {
      return java.util.Optional.empty();
    }
    String id = state.currentIteration().plan().steps().get(0).id();
    return state.currentIteration().executionOrEmpty().step(id);
  }

  /** The lines the fake {@code tool} logged for its runs of step {@code stepId}, in order. */
  private static List<String> runsOfStep(Path workspace, String tool, String stepId)
      throws java.io.IOException {
    return Files.readAllLines(workspace.resolve(".fake-cli.log")).stream()
        .filter(l -> l.startsWith(tool + " step=" + stepId + " "))
        .toList();
  }

  private static Path home(String logLine) {
    return Path.of(logLine.replaceAll(".* home=(\\S+).*", "$1"));
  }

  /** The agentos CLI with a state directory of its own. */
  private static CliRunner cli() throws java.io.IOException {
    Path state = Files.createTempDirectory("agentos-cli-state-");
    return new CliRunner(Cluster.repoRoot(), Map.of("AGENTOS_STATE_DIR", state.toString()));
  }

  private static String submit(Path workspace, String options) throws Exception {
    return cluster
        .requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, options))
        .path("cycle_id")
        .asText();
  }
}
