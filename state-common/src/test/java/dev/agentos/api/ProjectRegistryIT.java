package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.project.Project;
import dev.agentos.project.ProjectQuotas;
import dev.agentos.project.ProjectRegistry;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.testing.TestNats;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project registry holds every submit: a team submits only for its own registered projects,
 * inside their workspace roots, and sees and steers only its own cycles; the operator may also
 * submit for an unregistered project unless the registry is required.
 */
class ProjectRegistryIT {
  private static final Caller TEAM_A = Caller.team("teama");
  private static final Caller TEAM_B = Caller.team("teamb");

  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;
  private static ProjectRegistry registry;

  @TempDir static Path roots;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(
        nc, new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1)));
    store = CycleStore.open(nc);
    registry = ProjectRegistry.open(nc, Clock.systemUTC());
    Files.createDirectories(roots.resolve("a/shop/.agent-os/specs/cart"));
    Files.createDirectories(roots.resolve("b/blog"));
    registry.add(project("shop", "teama", roots.resolve("a")));
    registry.add(project("blog", "teamb", roots.resolve("b")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  private static Project project(String name, String team, Path root) throws Exception {
    return new Project(
        name,
        team,
        List.of(root.toRealPath().toString()),
        List.of(),
        List.of(),
        List.of(),
        null,
        null,
        List.of(),
        null,
        null);
  }

  private static ControlApi api(boolean required) {
    return uncheck(() -> newApi(required));
  }

  private static ControlApi newApi(boolean required) throws Exception {
    Submissions submissions =
        new Submissions(
            store,
            Handoff.unrestricted(nc),
            new Events(nc, Clock.systemUTC()),
            WorkspacePaths.unconfined(),
            Budget.unlimited(),
            InstructionRules.EXECUTE_TASKS_ONLY,
            OperatorRules.NONE,
            new ProjectAdmission(registry, required),
            Clock.systemUTC());
    return new ControlApi(
        store,
        submissions,
        Handoff.unrestricted(nc),
        new Events(nc, Clock.systemUTC()),
        s -> {},
        new Signoffs(registry),
        Clock.systemUTC());
  }

  private static byte[] submit(String project, Path workspace) {
    return ("{\"project\":\""
            + project
            + "\",\"goal\":\"a cart\",\"workspace\":{\"path\":\""
            + workspace
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static AgentOsException refused(Runnable call) {
    return assertThrows(AgentOsException.class, call::run);
  }

  @Test
  void theRegistryRefusesWhatItMayNotHold() throws Exception {
    AgentOsException duplicate =
        refused(() -> registry.add(uncheck(() -> project("shop", "teamb", roots))));
    assertEquals(ErrorCode.CONFLICT, duplicate.code());
    AgentOsException badKey =
        refused(
            () ->
                registry.add(
                    new Project(
                        "wiki",
                        "teama",
                        List.of("/srv/wiki"),
                        List.of(),
                        List.of(),
                        List.of(),
                        null,
                        null,
                        List.of("not-a-key"),
                        null,
                        null)));
    assertTrue(badKey.getMessage().contains("public user nkey"), badKey.getMessage());
    AgentOsException noRoot =
        refused(
            () ->
                registry.add(
                    new Project(
                        "wiki", "teama", null, null, null, null, null, null, null, null, null)));
    assertTrue(noRoot.getMessage().contains("workspace root"), noRoot.getMessage());
    assertEquals(
        ErrorCode.NOT_FOUND,
        refused(() -> registry.set(uncheck(() -> project("nope", "teama", roots)))).code());
    assertTrue(registry.get("wiki").isEmpty(), "nothing refused was written");
  }

  @Test
  void aTeamSubmitsOnlyForItsOwnProjectsInsideTheirRoots() throws Exception {
    ControlApi api = api(false);
    Path shop = roots.resolve("a/shop").toRealPath();
    int before = store.cycleIds().size();

    AgentOsException unknown = refused(() -> api.submit(TEAM_A, submit("wiki", shop)));
    assertTrue(
        unknown.getMessage().contains("not registered for team teama"), unknown.getMessage());
    AgentOsException others = refused(() -> api.submit(TEAM_B, submit("shop", shop)));
    assertTrue(others.getMessage().contains("not registered for team teamb"), others.getMessage());
    AgentOsException outside =
        refused(() -> api.submit(TEAM_A, submit("shop", roots.resolve("b/blog"))));
    assertTrue(outside.getMessage().contains("workspace root"), outside.getMessage());
    assertEquals(before, store.cycleIds().size(), "no refused submit wrote a cycle");

    ControlApi.CycleReply reply = (ControlApi.CycleReply) api.submit(TEAM_A, submit("shop", shop));
    assertEquals("teama", store.require(reply.cycleId()).team());
  }

  @Test
  void theOperatorMaySubmitForAnUnregisteredProjectUnlessTheRegistryIsRequired() throws Exception {
    Path dir = roots.resolve("b/blog").toRealPath();
    ControlApi.CycleReply open =
        (ControlApi.CycleReply) api(false).submit(Caller.OPERATOR, submit("solo", dir));
    assertNull(store.require(open.cycleId()).team(), "an unregistered project has no team");

    AgentOsException required =
        refused(() -> api(true).submit(Caller.OPERATOR, submit("solo", dir)));
    assertEquals(ErrorCode.INVALID_REQUEST, required.code());
    assertTrue(required.getMessage().contains("agentos project add solo"), required.getMessage());
  }

  @Test
  void aTeamSeesAndSteersOnlyItsOwnCycles() throws Exception {
    ControlApi api = api(false);
    Path shop = roots.resolve("a/shop").toRealPath();
    String id = ((ControlApi.CycleReply) api.submit(TEAM_A, submit("shop", shop))).cycleId();
    byte[] ref = ("{\"cycle_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    long revision = store.get(id).orElseThrow().revision();

    assertEquals(ErrorCode.NOT_FOUND, refused(() -> api.status(TEAM_B, ref)).code());
    assertEquals(ErrorCode.NOT_FOUND, refused(() -> api.cancel(TEAM_B, ref)).code());
    assertEquals(ErrorCode.NOT_FOUND, refused(() -> api.resume(TEAM_B, ref)).code());
    assertEquals(revision, store.get(id).orElseThrow().revision(), "team B changed nothing");
    ControlApi.ListReply listed =
        (ControlApi.ListReply) api.list(TEAM_B, "{}".getBytes(StandardCharsets.UTF_8));
    assertTrue(listed.cycles().stream().noneMatch(c -> c.cycleId().equals(id)));

    assertEquals(id, ((CycleState) api.status(TEAM_A, ref)).cycleId());
    ControlApi.ListReply own =
        (ControlApi.ListReply) api.list(TEAM_A, "{}".getBytes(StandardCharsets.UTF_8));
    assertTrue(own.cycles().stream().anyMatch(c -> c.cycleId().equals(id)));
    api.cancel(TEAM_A, ref);
    assertEquals(Status.CANCELLED, store.require(id).status());
  }

  @Test
  void aSubmitOverTheProjectsCyclesInFlightQuotaIsRefusedUntilOneEnds() throws Exception {
    Files.createDirectories(roots.resolve("q/one"));
    Path dir = roots.resolve("q/one").toRealPath();
    registry.add(
        teamAProject(
            "tiny",
            roots.resolve("q").toRealPath(),
            null,
            new ProjectQuotas(1, null, null, null, null)));
    ControlApi api = api(false);
    String first = ((ControlApi.CycleReply) api.submit(TEAM_A, submit("tiny", dir))).cycleId();
    int before = store.cycleIds().size();

    AgentOsException full = refused(() -> api.submit(TEAM_A, submit("tiny", dir)));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, full.code());
    assertTrue(full.getMessage().contains("1 cycles in flight, its quota is 1"), full.getMessage());
    assertEquals(before, store.cycleIds().size(), "the refused submit wrote nothing");

    api.cancel(TEAM_A, ("{\"cycle_id\":\"" + first + "\"}").getBytes(StandardCharsets.UTF_8));
    api.submit(TEAM_A, submit("tiny", dir));
  }

  @Test
  void standardsOverTheProjectsCapsAreRefusedWithNothingWrittenUntilTheOperatorRaisesThem()
      throws Exception {
    Path root = Files.createDirectories(roots.resolve("docs")).toRealPath();
    registry.add(teamAProject("docs", root, null, new ProjectQuotas(null, 2, 64, null, null)));
    dev.agentos.knowledge.KnowledgeStore standards = dev.agentos.knowledge.KnowledgeStore.open(nc);
    KnowledgeApi api = new KnowledgeApi(standards, new DocumentQuotas(registry), registry);
    api.put(standard("docs", "style", "short"));
    api.put(standard("docs", "tests", "short"));

    AgentOsException third = refused(() -> api.put(standard("docs", "naming", "short")));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, third.code());
    assertTrue(third.getMessage().contains("holds 2 standards, its cap is 2"), third.getMessage());
    AgentOsException large = refused(() -> api.put(standard("docs", "style", "x".repeat(65))));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, large.code());
    assertTrue(large.getMessage().contains("65 bytes"), large.getMessage());
    assertEquals(List.of("style", "tests"), standards.standardNames("docs"), "nothing added");
    assertEquals("short", standards.standard("docs", "style").orElseThrow().content());
    api.put(standard("docs", "style", "replaced")); // a replacement adds no standard

    registry.set(teamAProject("docs", root, null, new ProjectQuotas(null, 3, 64, null, null)));
    api.put(standard("docs", "naming", "short"));
    assertEquals(List.of("naming", "style", "tests"), standards.standardNames("docs"));
  }

  @Test
  void aTeamKeepsItsOwnProjectsStandardsAndReadsTheSharedOnesWhichOnlyTheOperatorWrites()
      throws Exception {
    dev.agentos.knowledge.KnowledgeStore standards = dev.agentos.knowledge.KnowledgeStore.open(nc);
    KnowledgeApi api = new KnowledgeApi(standards, new DocumentQuotas(registry), registry);
    api.put(Caller.OPERATOR, standard("team", "naming", "shared by every project"));

    api.put(TEAM_A, standard("shop", "money", "amounts in cents"));
    assertEquals(
        "amounts in cents",
        ((dev.agentos.knowledge.Standard) api.get(TEAM_A, ref("shop", "money"))).content());
    assertEquals(
        1, ((KnowledgeApi.StandardsReply) api.list(TEAM_A, scope("shop"))).standards().size());
    assertEquals(
        "shared by every project",
        ((KnowledgeApi.StandardsReply) api.list(TEAM_A, scope(null)))
            .standards().stream()
                .filter(st -> st.name().equals("naming"))
                .findFirst()
                .orElseThrow()
                .content(),
        "a team reads the shared standards its agents are given");
    api.decisions(TEAM_A, "{\"project\":\"shop\"}".getBytes(StandardCharsets.UTF_8));

    // Team B reaches none of team A's project, in the words used for an unregistered one.
    for (Runnable call :
        List.<Runnable>of(
            () -> api.put(TEAM_B, standard("shop", "money", "amounts in euros")),
            () -> api.get(TEAM_B, ref("shop", "money")),
            () -> api.list(TEAM_B, scope("shop")),
            () -> api.put(TEAM_B, standard("wiki", "x", "an unregistered project")),
            () ->
                api.decisions(TEAM_B, "{\"project\":\"shop\"}".getBytes(StandardCharsets.UTF_8)))) {
      AgentOsException refused = refused(call);
      assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
      assertTrue(
          refused.getMessage().contains("is not registered for team teamb"), refused.getMessage());
    }
    // ... and no team writes the shared scope.
    AgentOsException shared = refused(() -> api.put(TEAM_A, standard(null, "naming", "mine")));
    assertEquals(ErrorCode.FORBIDDEN, shared.code());
    assertEquals("amounts in cents", standards.standard("shop", "money").orElseThrow().content());
    assertEquals(
        "shared by every project", standards.standard("team", "naming").orElseThrow().content());
    assertEquals(List.of(), standards.standardNames("wiki"), "nothing written");
  }

  private static byte[] ref(String scope, String name) {
    return dev.agentos.json.Json.write(new KnowledgeApi.StandardRef(scope, name));
  }

  private static byte[] scope(String scope) {
    return dev.agentos.json.Json.write(new KnowledgeApi.StandardList(scope));
  }

  @Test
  void aChangedQuotaAndCeilingHoldFromTheNextSubmit() throws Exception {
    Path root = Files.createDirectories(roots.resolve("c")).toRealPath();
    registry.add(
        teamAProject("shrinking", root, null, new ProjectQuotas(5, null, null, null, null)));
    ControlApi api = api(false);
    api.submit(TEAM_A, submit("shrinking", Files.createDirectories(root.resolve("one"))));
    byte[] costly =
        ("{\"project\":\"shrinking\",\"goal\":\"g\",\"workspace\":{\"path\":\""
                + Files.createDirectories(root.resolve("two"))
                + "\"},\"options\":{\"budget\":{\"tokens\":5000}}}")
            .getBytes(StandardCharsets.UTF_8);

    registry.set(
        teamAProject(
            "shrinking",
            root,
            new Budget(1000L, null, null),
            new ProjectQuotas(2, null, null, null, null)));
    AgentOsException overCeiling = refused(() -> api.submit(TEAM_A, costly));
    assertTrue(
        overCeiling.getMessage().contains("above the project's ceiling"), overCeiling.getMessage());
    api.submit(TEAM_A, submit("shrinking", root.resolve("two")));

    AgentOsException full =
        refused(
            () ->
                api.submit(
                    TEAM_A,
                    submit(
                        "shrinking", uncheck(() -> Files.createDirectories(root.resolve("x"))))));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, full.code());
    assertTrue(full.getMessage().contains("its quota is 2"), full.getMessage());
  }

  private static Project teamAProject(
      String name, Path root, Budget ceiling, ProjectQuotas quotas) {
    return new Project(
        name,
        "teama",
        List.of(root.toString()),
        List.of(),
        List.of(),
        List.of(),
        ceiling,
        quotas,
        List.of(),
        null,
        null);
  }

  private static byte[] standard(String scope, String name, String content) {
    return dev.agentos.json.Json.write(new KnowledgeApi.StandardPut(scope, name, content));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "ids from the settled-cycles index: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void listPagesThroughATeamsCyclesWithACursor(boolean indexed) throws Exception {
    ControlApi api = api(false);
    java.util.Set<String> submitted = new java.util.TreeSet<>();
    for (int i = 0; i < 5; i++) {
      // A working tree of its own each: one cycle at a time works in a local tree.
      Path dir =
          Files.createDirectories(roots.resolve("b/pages-" + indexed + "-" + i)).toRealPath();
      submitted.add(((ControlApi.CycleReply) api.submit(TEAM_B, submit("blog", dir))).cycleId());
    }
    dev.agentos.nats.SettledCycles index = dev.agentos.nats.SettledCycles.follow(nc);
    if (indexed) {
      api.listingFrom(() -> index);
      dev.agentos.testing.Await.until(
          java.time.Duration.ofSeconds(30),
          "the index to know every submitted cycle",
          () -> index.ids().map(ids -> ids.containsAll(submitted)).orElse(false));
    }
    java.util.List<String> seen = new java.util.ArrayList<>();
    String cursor = "";
    int pages = 0;
    while (cursor != null) {
      ControlApi.ListReply page =
          (ControlApi.ListReply)
              api.list(
                  TEAM_B,
                  ("{\"limit\":2,\"project\":\"blog\",\"cursor\":\"" + cursor + "\"}")
                      .getBytes(StandardCharsets.UTF_8));
      assertTrue(page.cycles().size() <= 2, page.toString());
      page.cycles().forEach(c -> seen.add(c.cycleId()));
      assertEquals(
          page,
          dev.agentos.json.Json.convertStored(
              dev.agentos.json.Json.mapper().valueToTree(page), ControlApi.ListReply.class),
          "a client reads the page back as it was sent");
      cursor = page.nextCursor();
      pages++;
    }
    assertTrue(pages >= 3, "five cycles in pages of two: " + pages);
    assertEquals(
        new java.util.ArrayList<>(new java.util.TreeSet<>(seen).descendingSet()),
        seen,
        "newest id first, none twice");
    assertTrue(seen.containsAll(submitted), seen + " holds " + submitted);
    index.close();
  }

  private interface Checked<T> {
    T get() throws Exception;
  }

  private static <T> T uncheck(Checked<T> call) {
    try {
      return call.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
