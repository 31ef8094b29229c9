package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.history.HistoryRecord;
import dev.agentos.history.HistoryStore;
import dev.agentos.history.Stats;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventLog;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.TopologyFixture;
import dev.agentos.project.Project;
import dev.agentos.project.ProjectRegistry;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.worker.Artifacts;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a cycle left besides its state (past events, artifacts) and the history, as a team reads
 * them through the API: its own cycles' and projects' only, another team's as unknown, each reply
 * bounded to one NATS message however large the artifact or long the timeline.
 */
class CycleRecordsApiIT {
  private static final Caller TEAM_A = Caller.team("teama");
  private static final Caller TEAM_B = Caller.team("teamb");

  /** A small max payload, so that the bounds show with small artifacts. */
  private static final int MAX_REPLY = 64 * 1024;

  private static TopologyFixture fixture;
  private static Connection nc;
  private static CycleStore store;
  private static Artifacts artifacts;
  private static Events events;
  private static CycleRecordsApi api;
  private static HistoryStore history;
  private static HistoryApi historyApi;

  @BeforeAll
  static void start() throws Exception {
    fixture = TopologyFixture.start();
    nc = fixture.nc();
    artifacts = Artifacts.open(nc);
    events = new Events(nc, Clock.systemUTC());
    store = CycleStore.open(nc);
    api = new CycleRecordsApi(store, new EventLog(nc, Duration.ofSeconds(5)), artifacts, MAX_REPLY);
    ProjectRegistry registry = ProjectRegistry.open(nc, Clock.systemUTC());
    registry.add(project("shop", "teama"));
    registry.add(project("blog", "teamb"));
    history = HistoryStore.open(nc);
    historyApi = new HistoryApi(history, registry);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static Project project(String name, String team) {
    String json = "{\"name\":\"%s\",\"team\":\"%s\",\"workspace_roots\":[\"/repos\"]}";
    return Json.read(json(json.formatted(name, team)), Project.class);
  }

  private static CycleState cycle(String id, String team) {
    CycleState state =
        CycleFixtures.queued(id, CycleOptions.defaults()).toBuilder().team(team).build();
    store.create(state);
    return state;
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode artifact(Caller caller, String id, String name, long offset) {
    return Json.mapper()
        .valueToTree(
            api.artifact(
                caller,
                json(
                    "{\"cycle_id\":\""
                        + id
                        + "\",\"name\":\""
                        + name
                        + "\",\"offset\":"
                        + offset
                        + "}")));
  }

  private static ErrorCode refused(Runnable call) {
    return assertThrows(AgentOsException.class, call::run).code();
  }

  @Test
  void aTeamReadsItsOwnCyclesArtifactInBoundedPartsAndNoOneElses() {
    cycle("c-art-a", "teama");
    cycle("c-art-b", "teamb");
    StringBuilder transcript = new StringBuilder();
    for (int line = 1; transcript.length() < 20_000; line++) {
      transcript.append("line ").append(line).append(" of the transcript\n");
    }
    String name = "c-art-a/step-1-attempt-1.log";
    artifacts.put(name, transcript.toString());
    artifacts.put("c-art-b/recap.md", "team B's recap");

    // Parts of at most an eighth of the max payload, read on with next_offset to the end.
    StringBuilder read = new StringBuilder();
    long offset = 0;
    int parts = 0;
    while (true) {
      JsonNode part = artifact(TEAM_A, "c-art-a", name, offset);
      assertTrue(part.path("length").asInt() <= MAX_REPLY / 8, part.path("length").toString());
      assertEquals(transcript.length(), part.path("size").asLong());
      assertTrue(Json.write(part).length < MAX_REPLY, "the reply fits one message");
      read.append(part.path("content").asText());
      parts++;
      if (!part.hasNonNull("next_offset")) {
        break;
      }
      offset = part.path("next_offset").asLong();
    }
    assertEquals(transcript.toString(), read.toString());
    assertEquals(3, parts, "20 000 bytes in parts of 8 KiB");
    assertEquals(
        transcript.toString(),
        artifact(Caller.OPERATOR, "c-art-a", name, 0).path("content").asText()
            + artifact(Caller.OPERATOR, "c-art-a", name, 8192).path("content").asText()
            + artifact(Caller.OPERATOR, "c-art-a", name, 16384).path("content").asText());

    // Another team's cycle is unknown; another cycle's artifact under one's own id is refused.
    assertEquals(ErrorCode.NOT_FOUND, refused(() -> artifact(TEAM_B, "c-art-a", name, 0)));
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        refused(() -> artifact(TEAM_A, "c-art-a", "c-art-b/recap.md", 0)));
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        refused(() -> artifact(TEAM_A, "c-art-a", "c-art-a/../c-art-b/recap.md", 0)));
    assertEquals(
        ErrorCode.NOT_FOUND, refused(() -> artifact(TEAM_A, "c-art-a", "c-art-a/none.log", 0)));
    assertEquals(
        ErrorCode.INVALID_REQUEST, refused(() -> artifact(TEAM_A, "c-art-a", name, 999_999)));
    assertEquals(
        "team B's recap",
        artifact(TEAM_B, "c-art-b", "c-art-b/recap.md", 0).path("content").asText());
  }

  @Test
  void aTeamReadsItsOwnCyclesEventsNewestKeptWithinTheBound() {
    CycleState mine = cycle("c-ev-a", "teama");
    cycle("c-ev-b", "teamb");
    int published = 400;
    String filler = "x".repeat(200);
    for (int i = 0; i < published; i++) {
      events.publish(mine, EventType.OUTPUT, "output line " + i + " " + filler, null);
    }
    Await.until(
        Duration.ofSeconds(10),
        "the events in the stream",
        () ->
            page(TEAM_A, "c-ev-a").path("events").size()
                    + page(TEAM_A, "c-ev-a").path("omitted").asLong()
                == published);

    JsonNode page = page(TEAM_A, "c-ev-a");
    JsonNode shown = page.path("events");
    long omitted = page.path("omitted").asLong();
    assertTrue(omitted > 0, "400 events of 300 bytes do not fit half of 64 KiB: " + omitted);
    assertTrue(Json.write(page).length <= MAX_REPLY / 2 + 1024, "bounded reply");
    assertEquals(
        "output line " + (published - 1) + " " + filler,
        shown.get(shown.size() - 1).path("message").asText(),
        "the newest event is kept");
    assertEquals(
        "output line " + omitted + " " + filler,
        shown.get(0).path("message").asText(),
        "oldest first, from the first one kept");

    assertEquals(ErrorCode.NOT_FOUND, refused(() -> page(TEAM_B, "c-ev-a")));
    assertEquals(0, page(TEAM_B, "c-ev-b").path("events").size(), "a cycle with no events");
  }

  private static JsonNode page(Caller caller, String id) {
    return Json.mapper().valueToTree(api.events(caller, json("{\"cycle_id\":\"" + id + "\"}")));
  }

  @Test
  void aTeamReadsTheHistoryAndStatsOfItsOwnProjectsOnly() {
    history.record(ended("h-shop-1", "shop", 0.5));
    history.record(ended("h-shop-2", "shop", 1.5));
    history.record(ended("h-blog-1", "blog", 7.0));
    history.record(ended("h-open-1", "unregistered", 9.0));

    assertEquals(List.of("h-shop-1", "h-shop-2"), ids(historyApi.history(TEAM_A, json("{}"))));
    assertEquals(List.of(), ids(historyApi.history(TEAM_A, json("{\"project\":\"blog\"}"))));
    assertEquals(4, ids(historyApi.history(Caller.OPERATOR, json("{}"))).size());

    Stats own = (Stats) historyApi.stats(TEAM_A, json("{\"project\":\"shop\"}"));
    assertEquals(
        Json.mapper()
            .valueToTree(historyApi.stats(Caller.OPERATOR, json("{\"project\":\"shop\"}"))),
        Json.mapper().valueToTree(own),
        "a team's own project: the same figures as the operator's");
    JsonNode all = Json.mapper().valueToTree(historyApi.stats(TEAM_A, json("{}")));
    assertEquals(2, all.path("overall").path("cycles").asInt(), all.toString());
    assertFalse(all.path("by_project").has("blog"), all.toString());
    JsonNode others =
        Json.mapper().valueToTree(historyApi.stats(TEAM_A, json("{\"project\":\"blog\"}")));
    assertEquals(0, others.path("overall").path("cycles").asInt(), others.toString());
    assertEquals(
        ErrorCode.FORBIDDEN, refused(() -> historyApi.stats(TEAM_A, json("{\"rebuild\":true}"))));
  }

  private static List<String> ids(Object reply) {
    return ((HistoryApi.HistoryReply) reply)
        .cycles().stream().map(HistoryRecord::cycleId).sorted().toList();
  }

  private static HistoryRecord ended(String id, String project, double cost) {
    Instant end = Instant.parse("2026-12-07T10:00:00Z");
    return new HistoryRecord(
        id,
        project,
        "execute-tasks",
        null,
        Status.COMPLETED,
        1,
        90,
        null,
        100,
        cost,
        10,
        5,
        Map.of(),
        end.minusSeconds(10),
        end,
        null,
        null);
  }

  @Test
  void bothEndpointsAnswerOnTheTeamSubjectAsThatTeam() throws Exception {
    cycle("c-sub-a", "teama");
    artifacts.put("c-sub-a/recap.md", "the recap");
    io.nats.service.Service service =
        api.addTo(new JsonEndpoints("agentos-records-test", "0.0.0", "test", 4096)).start(nc);
    try {
      String body = "{\"cycle_id\":\"c-sub-a\",\"name\":\"c-sub-a/recap.md\"}";
      JsonNode own = request("agentos.team.teama.api.artifact", body);
      assertEquals("the recap", own.path("content").asText(), own.toString());
      JsonNode other = request("agentos.team.teamb.api.artifact", body);
      assertEquals("NOT_FOUND", other.path("error").path("code").asText(), other.toString());
      JsonNode events = request("agentos.team.teamb.api.events", "{\"cycle_id\":\"c-sub-a\"}");
      assertEquals("NOT_FOUND", events.path("error").path("code").asText(), events.toString());
    } finally {
      service.stop();
    }
  }

  private static JsonNode request(String subject, String body) throws Exception {
    io.nats.client.Message reply = nc.request(subject, json(body), Duration.ofSeconds(10));
    assertTrue(reply != null, "a reply on " + subject);
    return Json.tree(reply.getData());
  }
}
