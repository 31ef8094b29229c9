package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.testing.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History and stats over real cycles: the executor answers from a fake OpenAI-compatible server
 * (400 tokens in, 100 out per step) priced from the configured table, some cycles pass, some fail
 * their verification, some run on another model, one is a git-commit and one is cancelled. What
 * {@code agentos.api.stats} and {@code agentos.api.history} report must be exactly what the cycles'
 * final states in KV add up to.
 */
class StatsIT {
  private static final long TOKENS_IN = 400;
  private static final long TOKENS_OUT = 100;

  /** USD per million tokens, in/out, as configured below. */
  private static final Map<String, double[]> PRICES =
      Map.of("gpt-a", new double[] {2, 8}, "gpt-b", new double[] {3, 15});

  private static final double EPS = 1e-9;
  private static FakeOpenAiServer model;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    model = new FakeOpenAiServer();
    model.answerAlways("Done: the step is implemented and its tests pass.", TOKENS_IN, TOKENS_OUT);
    cluster =
        Cluster.start(
            Map.ofEntries(
                Map.entry("agentos.agents.executor.backend", "openai"),
                Map.entry("agentos.agents.executor.model", "gpt-a"),
                Map.entry("agentos.agents.executor.base-url", model.baseUrl()),
                Map.entry("agentos.agents.executor.api-key", "sk-stats-test"),
                Map.entry("agentos.prices", "gpt-a=2/8,gpt-b=3/15"),
                // The same server under another model, chosen per cycle by this profile.
                Map.entry("agentos.profiles.gpt-b.backend", "openai"),
                Map.entry("agentos.profiles.gpt-b.model", "gpt-b"),
                Map.entry("agentos.profiles.gpt-b.base-url", model.baseUrl()),
                Map.entry("agentos.profiles.gpt-b.api-key", "sk-stats-test"),
                Map.entry("agentos.checks.fails.run", "false"),
                // A CLI agent that writes a file per step: cycles that Review can pass.
                Map.entry(
                    "agentos.profiles.recorder.command",
                    "bash " + Cluster.agentScript("recording-agent.sh"))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @Test
  void statsAndHistoryAreExactlyWhatTheEndedCyclesAddUpTo() throws Exception {
    String project = "stats";
    Map<String, Status> expected = new LinkedHashMap<>();
    // The fake model only says it did each step and changes no file: Review never passes that, so
    // every cycle it executes ends FAILED after its one iteration.
    expected.put(submit(project, Workspaces.withSpec(1), ONE_ITERATION), Status.FAILED);
    expected.put(submit(project, Workspaces.withSpec(2), ONE_ITERATION), Status.FAILED);
    expected.put(submit(project, Workspaces.withSpec(1), failing()), Status.FAILED);
    expected.put(submit(project, Workspaces.withSpec(2), gptB(ONE_ITERATION)), Status.FAILED);
    expected.put(submit(project, Workspaces.withSpec(1), gptB(failing())), Status.FAILED);
    expected.put(gitCommit(project, workspaceWithAChange()), Status.COMPLETED);
    String cancelled =
        submit(project, Workspaces.withSpec(1), "{\"approvals\":{\"after_plan\":true}}");
    expected.put(cancelled, Status.CANCELLED);

    cluster.awaitStatus(cancelled, Status.AWAITING_APPROVAL, Duration.ofSeconds(60));
    cluster.requestJson(
        Topology.apiSubject("cancel"), "{\"cycle_id\":\"" + cancelled + "\",\"reason\":\"stats\"}");
    List<CycleState> states = new ArrayList<>();
    for (Map.Entry<String, Status> e : expected.entrySet()) {
      states.add(cluster.awaitStatus(e.getKey(), e.getValue(), Duration.ofSeconds(90)));
    }
    awaitHistory(project, expected.keySet());
    // Read again: the states as they were when the history was written, which is after the end.
    states.replaceAll(s -> cluster.state(s.cycleId()));

    // Each cycle's usage is what the fake model charged: one call per executed step.
    for (CycleState s : states) {
      String used = s.usageOrNone().models() == null ? null : modelOf(s);
      long calls = agentCalls(s);
      assertEquals(calls * (TOKENS_IN + TOKENS_OUT), s.usage().total().tokens(), s.cycleId());
      double perCall =
          used == null
              ? 0
              : (TOKENS_IN * PRICES.get(used)[0] + TOKENS_OUT * PRICES.get(used)[1]) / 1e6;
      assertEquals(calls * perCall, s.usage().total().costUsd(), EPS, s.cycleId() + " cost");
    }

    JsonNode stats = cluster.requestJson(Topology.apiSubject("stats"), "{\"project\":\"stats\"}");
    assertGroup(states, stats.path("overall"), "overall");
    assertEquals(Set.of(project), names(stats.path("by_project")));
    assertGroup(states, stats.path("by_project").path(project), "by_project");

    assertEquals(Set.of("execute-tasks", "git-commit"), names(stats.path("by_instruction")));
    for (String instruction : List.of("execute-tasks", "git-commit")) {
      assertGroup(
          filter(states, s -> s.instruction().equals(instruction)),
          stats.path("by_instruction").path(instruction),
          "by_instruction." + instruction);
    }
    assertEquals(6, stats.path("by_instruction").path("execute-tasks").path("cycles").asInt());

    assertEquals(Set.of("gpt-a", "gpt-b"), names(stats.path("by_model")));
    for (String m : List.of("gpt-a", "gpt-b")) {
      assertGroup(
          filter(states, s -> usedModels(s).contains(m)),
          stats.path("by_model").path(m),
          "by_model." + m);
    }
    assertEquals(3, stats.path("by_model").path("gpt-a").path("cycles").asInt());
    assertEquals(2, stats.path("by_model").path("gpt-b").path("cycles").asInt());
    assertEquals(0.0, stats.path("by_model").path("gpt-a").path("success_rate").asDouble(), EPS);

    JsonNode history =
        cluster.requestJson(Topology.apiSubject("history"), "{\"project\":\"stats\"}");
    assertEquals(states.size(), history.path("cycles").size(), history.toString());
    Instant previous = Instant.MAX;
    for (JsonNode record : history.path("cycles")) {
      CycleState s =
          states.stream()
              .filter(c -> c.cycleId().equals(record.path("cycle_id").asText()))
              .findFirst()
              .orElseThrow();
      assertRecord(s, record);
      Instant ended = Instant.parse(record.path("ended_at").asText());
      assertFalse(ended.isAfter(previous), "newest first: " + history);
      previous = ended;
    }

    CliRunner cli =
        new CliRunner(
            Cluster.repoRoot(),
            Map.of("AGENTOS_STATE_DIR", Files.createTempDirectory("agentos-cli-").toString()));
    CliRunner.Result table = cli.run("stats", "--project", project, "--nats", cluster.nats.url());
    assertEquals(0, table.code(), table.toString());
    assertTrue(table.out().contains("By model"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("gpt-b ")), table.out());
    CliRunner.Result list = cli.run("history", "--project", project, "--nats", cluster.nats.url());
    assertEquals(0, list.code(), list.toString());
    assertEquals(states.size() + 1, list.out().lines().count(), list.out());
  }

  @Test
  void historyFiltersByStatusInstructionSinceAndLimit() throws Exception {
    String project = "filters";
    String first =
        submit(project, Workspaces.withSpec(1), "\"agents\":{\"executor\":\"recorder\"}");
    cluster.awaitStatus(first, Status.COMPLETED, Duration.ofSeconds(60));
    awaitHistory(project, Set.of(first));
    Instant mark =
        Instant.parse(history("{\"project\":\"filters\"}").get(0).path("ended_at").asText())
            .plusMillis(1);

    String failed = submit(project, Workspaces.withSpec(1), failing());
    cluster.awaitStatus(failed, Status.FAILED, Duration.ofSeconds(60));
    awaitHistory(project, Set.of(first, failed));
    String commit = gitCommit(project, workspaceWithAChange());
    cluster.awaitStatus(commit, Status.COMPLETED, Duration.ofSeconds(60));
    awaitHistory(project, Set.of(first, failed, commit));

    assertEquals(List.of(commit, failed, first), ids(history("{\"project\":\"filters\"}")));
    assertEquals(List.of(failed), ids(history("{\"project\":\"filters\",\"status\":\"FAILED\"}")));
    assertEquals(
        List.of(commit, first), ids(history("{\"project\":\"filters\",\"status\":\"COMPLETED\"}")));
    assertEquals(
        List.of(commit), ids(history("{\"project\":\"filters\",\"instruction\":\"git-commit\"}")));
    assertEquals(
        List.of(commit, failed),
        ids(history("{\"project\":\"filters\",\"since\":\"" + mark + "\"}")));
    assertEquals(
        List.of(failed),
        ids(
            history(
                "{\"project\":\"filters\",\"since\":\""
                    + mark
                    + "\",\"instruction\":\"execute-tasks\"}")));
    assertEquals(List.of(commit), ids(history("{\"project\":\"filters\",\"limit\":1}")));
    assertEquals(List.of(), ids(history("{\"project\":\"nobody\"}")));

    JsonNode stats =
        cluster.requestJson(
            Topology.apiSubject("stats"), "{\"project\":\"filters\",\"since\":\"" + mark + "\"}");
    assertEquals(2, stats.path("overall").path("cycles").asInt(), stats.toString());
    assertEquals(1, stats.path("overall").path("completed").asInt());
    assertEquals(1, stats.path("overall").path("failed").asInt());
    assertEquals(Set.of("execute-tasks", "git-commit"), names(stats.path("by_instruction")));
    JsonNode failedOnly =
        cluster.requestJson(
            Topology.apiSubject("stats"), "{\"project\":\"filters\",\"status\":\"FAILED\"}");
    assertEquals(0.0, failedOnly.path("overall").path("success_rate").asDouble());
    assertFalse(
        failedOnly.path("overall").has("mean_iterations_to_pass"), "no PASS, no mean to show");

    JsonNode bad =
        cluster.requestJson(
            Topology.apiSubject("history"), "{\"project\":\"filters\",\"status\":\"DONE\"}");
    assertEquals("INVALID_REQUEST", bad.path("error").path("code").asText(), bad.toString());
  }

  // ------------------------------------------------------------------ what the states add up to

  /** The figures of a stats group, computed here from the cycles' final states. */
  private static void assertGroup(List<CycleState> states, JsonNode group, String where) {
    int n = states.size();
    long completed = count(states, Status.COMPLETED);
    assertEquals(n, group.path("cycles").asInt(), where + " cycles in " + group);
    assertEquals(completed, group.path("completed").asLong(), where + " completed");
    assertEquals(count(states, Status.FAILED), group.path("failed").asLong(), where + " failed");
    assertEquals(
        count(states, Status.CANCELLED), group.path("cancelled").asLong(), where + " cancelled");
    assertEquals((double) completed / n, group.path("success_rate").asDouble(), EPS, where);

    List<Integer> scores = new ArrayList<>();
    states.forEach(
        s -> {
          Review last = lastReview(s);
          if (last != null) {
            scores.add(last.score());
          }
        });
    assertMean(scores.stream().mapToDouble(i -> i).toArray(), group, "mean_score", where);
    assertMean(
        states.stream()
            .filter(s -> s.status() == Status.COMPLETED)
            .mapToDouble(s -> s.iterations().size())
            .toArray(),
        group,
        "mean_iterations_to_pass",
        where);
    assertEquals(
        states.stream().mapToDouble(s -> s.usage().total().costUsd()).sum() / n,
        group.path("mean_cost_usd").asDouble(),
        EPS,
        where + " mean_cost_usd");
    assertEquals(
        states.stream().mapToDouble(StatsIT::wallSeconds).sum() / n,
        group.path("mean_wall_seconds").asDouble(),
        EPS,
        where + " mean_wall_seconds");
    assertEquals(
        states.stream().mapToLong(s -> s.usage().total().tokens()).sum(),
        group.path("tokens").asLong(),
        where + " tokens");
  }

  private static void assertMean(double[] values, JsonNode group, String field, String where) {
    if (values.length == 0) {
      assertFalse(group.has(field), where + " has no " + field + ": " + group);
      return;
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    assertEquals(sum / values.length, group.path(field).asDouble(), EPS, where + " " + field);
  }

  private static void assertRecord(CycleState s, JsonNode record) {
    String where = "history of " + s.cycleId() + ": " + record;
    assertEquals(s.project(), record.path("project").asText(), where);
    assertEquals(s.instruction(), record.path("instruction").asText(), where);
    assertEquals(s.status().name(), record.path("status").asText(), where);
    assertEquals(s.iterations().size(), record.path("iterations").asInt(), where);
    Review last = lastReview(s);
    if (last == null) {
      assertFalse(record.has("score"), where);
    } else {
      assertEquals(last.score(), record.path("score").asInt(), where);
      assertEquals(last.band().name(), record.path("band").asText(), where);
    }
    assertEquals(s.usage().total().tokens(), record.path("tokens").asLong(), where);
    assertEquals(s.usage().total().costUsd(), record.path("cost_usd").asDouble(), EPS, where);
    assertEquals(wallSeconds(s), record.path("wall_seconds").asDouble(), EPS, where);
    assertEquals(s.createdAt(), Instant.parse(record.path("started_at").asText()), where);
    assertEquals(s.updatedAt(), Instant.parse(record.path("ended_at").asText()), where);
    Set<String> models = new TreeSet<>();
    record.path("models").forEach(m -> models.add(m.asText()));
    assertEquals(usedModels(s), models, where);
    if (s.status() == Status.FAILED) {
      assertEquals(s.error().code().name(), record.path("error_code").asText(), where);
    } else {
      assertNull(record.get("error_code"), where);
    }
  }

  private static Review lastReview(CycleState s) {
    Review last = null;
    for (Iteration i : s.iterations()) {
      if (i.review() != null) {
        last = i.review();
      }
    }
    return last;
  }

  private static double wallSeconds(CycleState s) {
    return Duration.between(s.createdAt(), s.updatedAt()).toMillis() / 1000.0;
  }

  private static Set<String> usedModels(CycleState s) {
    Map<?, String> models = s.usageOrNone().models();
    return models == null ? Set.of() : new TreeSet<>(models.values());
  }

  /** The one model a cycle of this test used, or null for one that called no model. */
  private static String modelOf(CycleState s) {
    Set<String> used = usedModels(s);
    assertTrue(used.size() <= 1, s.cycleId() + " used " + used);
    return used.isEmpty() ? null : used.iterator().next();
  }

  /** Steps the executor's agent worked on (a git-commit step calls none). */
  private static long agentCalls(CycleState s) {
    if (s.instruction().equals("git-commit")) {
      return 0;
    }
    return s.iterations().stream()
        .filter(i -> i.execution() != null)
        .flatMap(i -> i.execution().steps().stream())
        .mapToLong(step -> step.attempts())
        .sum();
  }

  private static long count(List<CycleState> states, Status status) {
    return states.stream().filter(s -> s.status() == status).count();
  }

  private static List<CycleState> filter(List<CycleState> states, Predicate<CycleState> keep) {
    return states.stream().filter(keep).toList();
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    Iterator<String> fields = object.fieldNames();
    fields.forEachRemaining(names::add);
    return names;
  }

  // ------------------------------------------------------------------ cycles

  private static final String ONE_ITERATION = "\"max_iterations\":1";

  private static String failing() {
    return "\"max_iterations\":1,\"verify\":[\"fails\"]";
  }

  private static String gptB(String more) {
    return "\"agents\":{\"executor\":\"gpt-b\"}" + (more == null ? "" : "," + more);
  }

  private static String submit(String project, Path workspace, String options) throws Exception {
    String body =
        "{\"project\":\""
            + project
            + "\",\"workspace\":{\"path\":\""
            + workspace
            + "\"},\"spec\":\""
            + Workspaces.SPEC
            + "\""
            + (options == null
                ? ""
                : ",\"options\":" + (options.startsWith("{") ? options : "{" + options + "}"))
            + "}";
    JsonNode reply = cluster.requestJson(Topology.apiSubject("submit"), body);
    String id = reply.path("cycle_id").asText();
    assertFalse(id.isBlank(), reply.toString());
    return id;
  }

  private static String gitCommit(String project, Path workspace) throws Exception {
    JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("submit"),
            "{\"project\":\""
                + project
                + "\",\"instruction\":\"git-commit\",\"goal\":\"Commit the notes\","
                + "\"workspace\":{\"path\":\""
                + workspace
                + "\"}}");
    String id = reply.path("cycle_id").asText();
    assertFalse(id.isBlank(), reply.toString());
    return id;
  }

  private static Path workspaceWithAChange() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    Files.writeString(workspace.resolve("NOTES.md"), "# Notes\n");
    return workspace;
  }

  private static List<JsonNode> history(String query) throws Exception {
    JsonNode reply = cluster.requestJson(Topology.apiSubject("history"), query);
    assertTrue(reply.has("cycles"), reply.toString());
    List<JsonNode> cycles = new ArrayList<>();
    reply.path("cycles").forEach(cycles::add);
    return cycles;
  }

  private static List<String> ids(List<JsonNode> cycles) {
    return cycles.stream().map(c -> c.path("cycle_id").asText()).toList();
  }

  /** History is written right after a cycle ends; wait until every one of {@code ids} has it. */
  private static void awaitHistory(String project, Set<String> ids) {
    Await.until(
        Duration.ofSeconds(30),
        "history records of " + ids + " (logs: " + cluster.logDir + ")",
        () -> {
          try {
            Set<String> recorded =
                new HashSet<>(ids(history("{\"project\":\"" + project + "\",\"limit\":10000}")));
            return recorded.containsAll(ids);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
