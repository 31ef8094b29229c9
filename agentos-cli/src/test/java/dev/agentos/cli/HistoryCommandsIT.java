package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.HistoryApi;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.ErrorCode;
import dev.agentos.history.HistoryRecord;
import dev.agentos.history.HistoryStore;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.state.Band;
import dev.agentos.state.Status;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.api.KeyValueConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * history, stats and instructions run in-process against a private nats-server: the real history
 * API over records in the agentos-history bucket, and a stand-in for the instructions endpoints
 * (they live in the service runtime) that records what the CLI asked.
 */
class HistoryCommandsIT {
  private static final Instant NOW = Instant.now();
  private static PrivateApi server;
  private static Connection nc;
  private static final List<JsonNode> instructionRequests = new CopyOnWriteArrayList<>();

  @TempDir Path root;

  @BeforeAll
  static void start() throws Exception {
    server = PrivateApi.start();
    nc = server.connection();
    nc.keyValueManagement()
        .create(KeyValueConfiguration.builder().name(Topology.HISTORY_BUCKET).build());
    HistoryStore store = HistoryStore.open(nc);
    store.record(
        record("c-old", "shop", "execute-tasks", Status.COMPLETED, 100, "gpt-a", 5 * 86400));
    store.record(record("c-pass", "shop", "execute-tasks", Status.COMPLETED, 80, "gpt-a", 7200));
    store.record(record("c-fail", "shop", "create-spec", Status.FAILED, 40, "gpt-b", 3600));
    store.record(record("c-blog", "blog", "execute-tasks", Status.CANCELLED, null, null, 60));
    server.serve(
        new HistoryApi(store)
            .addTo(new JsonEndpoints(Topology.API_SERVICE, "0.0.0", "history", 64 * 1024)));
    Dispatcher instructions =
        nc.createDispatcher(
            m -> {
              instructionRequests.add(Json.tree(m.getData()));
              String reply =
                  m.getSubject().endsWith(".list")
                      ? "{\"instructions\":[{\"name\":\"create-spec\",\"description\":\"A dated"
                          + " spec folder\",\"source\":\"built-in\",\"needs\":\"GOAL\","
                          + "\"plan\":\"STEPS\"},{\"name\":\"tidy-up\",\"description\":\"our"
                          + " tidy-up\",\"source\":\"workspace\",\"needs\":\"EITHER\","
                          + "\"plan\":\"AGENT\"}]}"
                      : Json.tree(m.getData()).path("name").asText().equals("create-spec")
                          ? "{\"name\":\"create-spec\",\"source\":\"team\",\"content\":\"---\\n"
                              + "name: create-spec\\n---\\n## execute\\nWrite it.\"}"
                          : "{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"unknown"
                              + " instruction 'write-poetry'; known instructions: create-spec\"}}";
              nc.publish(m.getReplyTo(), reply.getBytes(StandardCharsets.UTF_8));
            });
    instructions.subscribe(Topology.apiSubject("instructions.list"));
    instructions.subscribe(Topology.apiSubject("instructions.get"));
    nc.flush(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static HistoryRecord record(
      String id,
      String project,
      String instruction,
      Status status,
      Integer score,
      String model,
      long endedSecondsAgo) {
    Instant ended = NOW.minusSeconds(endedSecondsAgo);
    return new HistoryRecord(
        id,
        project,
        instruction,
        null,
        status,
        1,
        score,
        score == null ? null : Band.of(score),
        500,
        0.0016,
        12.5,
        3.0,
        model == null ? Map.of() : Map.of("executor", model),
        ended.minusSeconds(12),
        ended,
        null,
        status == Status.FAILED ? ErrorCode.REVIEW_FAILED : null);
  }

  private CliRun agentos(String... args) {
    return server.agentos(root, args);
  }

  private static List<String> ids(JsonNode reply) {
    List<String> ids = new ArrayList<>();
    reply.path("cycles").forEach(c -> ids.add(c.path("cycle_id").asText()));
    return ids;
  }

  @Test
  void historyJsonListsTheEndedCyclesNewestFirst() {
    CliRun run = agentos("history", "--json");
    assertEquals(0, run.code(), run.toString());
    JsonNode reply = Json.tree(run.out().getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("c-blog", "c-fail", "c-pass", "c-old"), ids(reply));
    JsonNode failed = reply.path("cycles").get(1);
    assertEquals("FAILED", failed.path("status").asText());
    assertEquals("REVIEW_FAILED", failed.path("error_code").asText());
    assertEquals("gpt-b", failed.path("models").path("executor").asText());
  }

  @Test
  void historyFiltersGoToTheApi() {
    assertEquals(
        List.of("c-fail"),
        ids(json(agentos("history", "--project", "shop", "--status", "FAILED", "--json"))));
    assertEquals(
        List.of("c-blog", "c-pass", "c-old"),
        ids(json(agentos("history", "-i", "execute-tasks", "--json"))));
    assertEquals(
        List.of("c-blog", "c-fail", "c-pass"),
        ids(json(agentos("history", "--since", "2d", "--json"))));
    String day = NOW.minusSeconds(6 * 86400).toString().substring(0, 10);
    assertEquals(4, ids(json(agentos("history", "--since", day, "--json"))).size());
    assertEquals(List.of("c-blog"), ids(json(agentos("history", "--limit", "1", "--json"))));
  }

  @Test
  void historyTableHasAHeaderAndOneLinePerCycle() {
    CliRun run = agentos("history", "--project", "shop");
    assertEquals(0, run.code(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(4, lines.size(), run.out());
    assertTrue(lines.get(0).startsWith("CYCLE"), lines.get(0));
    assertTrue(lines.get(1).startsWith("c-fail"), lines.get(1));
    assertTrue(lines.get(1).contains("40 REQUIRES_ATTENTION"), lines.get(1));
    assertTrue(lines.get(2).contains("80 MEDIUM"), lines.get(2));
    assertTrue(lines.get(3).endsWith("5d ago"), lines.get(3));
    CliRun none = agentos("history", "--project", "nobody");
    assertEquals(0, none.code(), none.toString());
    assertTrue(none.out().startsWith("No ended cycles match"), none.out());
  }

  @Test
  void anApiRefusalExitsFiveWithTheServersMessage() {
    CliRun run = agentos("history", "--project", "bad name!");
    assertEquals(ExitCode.API_ERROR, run.code(), run.toString());
    assertTrue(run.err().contains("is not a project name [INVALID_REQUEST]"), run.err());
    CliRun limit = agentos("history", "--limit", "0");
    assertEquals(ExitCode.API_ERROR, limit.code(), limit.toString());
    assertTrue(limit.err().contains("limit must be between 1 and 10000"), limit.err());
  }

  @Test
  void statsAddsUpTheFilteredCycles() {
    JsonNode all = json(agentos("stats", "--json"));
    assertEquals(4, all.path("overall").path("cycles").asInt());
    assertEquals(0.5, all.path("overall").path("success_rate").asDouble(), 1e-9);
    assertEquals(2, all.path("by_model").path("gpt-a").path("cycles").asInt());

    JsonNode shop = json(agentos("stats", "--project", "shop", "--since", "3h", "--json"));
    assertEquals(2, shop.path("overall").path("cycles").asInt(), shop.toString());
    assertEquals(60.0, shop.path("overall").path("mean_score").asDouble(), 1e-9);
    assertEquals(1000, shop.path("overall").path("tokens").asLong());

    CliRun text = agentos("stats", "--instruction", "execute-tasks");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.out().startsWith("Overall"), text.out());
    assertTrue(text.out().contains("By model"), text.out());
    String overall = text.out().lines().skip(2).findFirst().orElseThrow();
    assertTrue(overall.startsWith("all"), overall);
    assertTrue(overall.contains("67%"), overall);
    assertTrue(overall.contains("90.0"), "mean of 100 and 80: " + overall);
  }

  @Test
  void instructionsListsAndShowsWhatTheApiServes() throws Exception {
    CliRun list = agentos("instructions");
    assertEquals(0, list.code(), list.toString());
    List<String> lines = list.out().lines().toList();
    assertTrue(lines.get(0).startsWith("NAME"), list.out());
    assertTrue(
        lines.get(1).matches("create-spec +built-in +goal +steps +A dated spec folder"),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("tidy-up"), lines.get(2));

    Path workspace = Files.createDirectories(root.resolve("ws"));
    instructionRequests.clear();
    CliRun withWorkspace = agentos("instructions", "list", "-w", "ws", "--json");
    assertEquals(0, withWorkspace.code(), withWorkspace.toString());
    assertEquals(
        workspace.toString(), instructionRequests.get(0).path("workspace").path("path").asText());
    assertEquals("tidy-up", json(withWorkspace).path("instructions").get(1).path("name").asText());

    CliRun show = agentos("instructions", "show", "create-spec");
    assertEquals(0, show.code(), show.toString());
    assertEquals("---\nname: create-spec\n---\n## execute\nWrite it.\n", show.out());
    assertTrue(show.err().contains("instruction create-spec (team)"), show.err());

    CliRun unknown = agentos("instructions", "show", "write-poetry");
    assertEquals(ExitCode.API_ERROR, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("known instructions: create-spec"), unknown.err());
    assertFalse(unknown.out().contains("write-poetry"), "nothing on stdout");
  }

  private static JsonNode json(CliRun run) {
    assertEquals(0, run.code(), run.toString());
    return Json.tree(run.out().getBytes(StandardCharsets.UTF_8));
  }
}
