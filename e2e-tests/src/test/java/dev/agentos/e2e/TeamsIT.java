package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.api.ApprovalSignature;
import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.Gate;
import dev.agentos.state.Signoff;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Teams isolated by the NATS server: deploy/nats/permissions.conf as the server's configuration
 * (accounts TEAM_A and TEAM_B beside the services' AGENTOS account), the four services each with
 * its own role user, two projects registered by the admin. Team B's user cannot read, list, watch,
 * cancel, resume or approve team A's cycle and changes nothing; team A's can; an approval signed by
 * a key that is not the project's approver is refused, and the approver's is recorded with its key.
 */
class TeamsIT {
  private static AccountsStack stack;
  private static Cluster cluster;
  private static Connection teamA;
  private static Connection teamB;
  private static NKey approver;
  private static NKey stranger;
  private static Path shop;

  @BeforeAll
  static void start() throws Exception {
    stack = AccountsStack.start(Map.of());
    cluster = stack.cluster;
    teamA = stack.connect("teama");
    teamB = stack.connect("teamb");
    approver = NKey.createUser(null);
    stranger = NKey.createUser(null);
    shop = Workspaces.withSpec(1).toRealPath();
    Path blog = Workspaces.withSpec(1).toRealPath();
    admin("projects.add", project("shop", "teama", shop, new String(approver.getPublicKey())));
    admin("projects.add", project("blog", "teamb", blog, null));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Connection c : new Connection[] {teamA, teamB}) {
      if (c != null) {
        c.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static String project(String name, String team, Path root, String approverKey) {
    ObjectNode p = Json.mapper().createObjectNode().put("name", name).put("team", team);
    p.putArray("workspace_roots").add(root.toString());
    if (approverKey != null) {
      p.putArray("approvers").add(approverKey);
    }
    return p.toString();
  }

  private static JsonNode admin(String endpoint, String body) throws Exception {
    JsonNode reply = cluster.requestJson("agentos.api." + endpoint, body);
    assertFalse(reply.has("error"), endpoint + ": " + reply);
    return reply;
  }

  private static JsonNode call(Connection as, String endpoint, String body) throws Exception {
    Message reply =
        as.request(
            "agentos.api." + endpoint,
            body.getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
    assertNotNull(reply, "a reply on agentos.api." + endpoint);
    return Json.tree(reply.getData());
  }

  private static String errorCode(JsonNode reply) {
    return reply.path("error").path("code").asText("");
  }

  private static String ref(String id) {
    return "{\"cycle_id\":\"" + id + "\"}";
  }

  private static String signed(String id, Gate gate, NKey key, Instant at) throws Exception {
    String seed = new String(key.getSeed());
    String signature =
        ApprovalSignature.sign(seed.toCharArray(), ApprovalSignature.text(id, gate, true, at));
    return "{\"cycle_id\":\""
        + id
        + "\",\"approved\":true,\"gate\":\""
        + gate
        + "\",\"signed_at\":\""
        + at
        + "\",\"approver\":\""
        + new String(key.getPublicKey())
        + "\",\"signature\":\""
        + signature
        + "\"}";
  }

  @Test
  void teamBCannotReadOrSteerTeamAsCycleAndOnlyTheApproverCanApproveIt() throws Exception {
    Subscription watchA = teamA.subscribe("agentos.events.*.>");
    Subscription watchB = teamB.subscribe("agentos.events.>");
    teamA.flush(Duration.ofSeconds(5));
    teamB.flush(Duration.ofSeconds(5));

    JsonNode submitted =
        call(teamA, "submit", Workspaces.submit(shop, "{\"approvals\":{\"after_plan\":true}}"));
    String id = submitted.path("cycle_id").asText();
    assertFalse(id.isEmpty(), submitted.toString());
    Await.until(
        Duration.ofSeconds(60),
        "team A's cycle to wait for approval",
        () -> cluster.state(id).status() == Status.AWAITING_APPROVAL);
    CycleState waiting = cluster.state(id);
    assertEquals("teama", waiting.team());
    long revision = cluster.store.get(id).orElseThrow().revision();

    // Team B: read, list, cancel, resume, approve, answer are refused as for an unknown cycle.
    assertEquals("NOT_FOUND", errorCode(call(teamB, "status", ref(id))));
    assertTrue(
        call(teamB, "list", "{}").path("cycles").findValuesAsText("cycle_id").isEmpty(),
        "team B lists none of team A's cycles");
    assertEquals("NOT_FOUND", errorCode(call(teamB, "cancel", ref(id))));
    assertEquals("NOT_FOUND", errorCode(call(teamB, "resume", ref(id))));
    assertEquals(
        "NOT_FOUND",
        errorCode(call(teamB, "approve", signed(id, Gate.AFTER_PLAN, approver, now()))));
    assertEquals(
        "NOT_FOUND",
        errorCode(call(teamB, "answer", "{\"cycle_id\":\"" + id + "\",\"answer\":\"EUR\"}")));
    assertEquals(
        "INVALID_REQUEST",
        errorCode(call(teamB, "submit", Workspaces.submit(shop, null))),
        "team B cannot submit into team A's project");
    // ... and the server itself denies what is not imported: KV, the registry, team A's subjects.
    assertThrows(Exception.class, () -> teamB.keyValue("agentos-cycles").get("cycle." + id));
    assertNoResponders(teamB, "agentos.api.projects.list");
    assertNoResponders(teamB, "agentos.team.teama.api.status");
    assertNull(watchB.nextMessage(Duration.ofMillis(500)), "team B saw none of A's events");
    assertEquals(revision, cluster.store.get(id).orElseThrow().revision(), "nothing changed");

    // Team A reads and watches its own cycle.
    assertEquals(id, call(teamA, "status", ref(id)).path("cycle_id").asText());
    assertTrue(call(teamA, "list", "{}").path("cycles").findValuesAsText("cycle_id").contains(id));
    assertEquals(
        "INVALID_TRANSITION",
        errorCode(call(teamA, "answer", "{\"cycle_id\":\"" + id + "\",\"answer\":\"EUR\"}")),
        "team A reaches answer (its cycle waits for an approval, not an answer)");
    Message event = watchA.nextMessage(Duration.ofSeconds(5));
    assertNotNull(event, "team A sees its cycle's events");
    assertTrue(event.getSubject().startsWith("agentos.events." + id + "."), event.getSubject());

    // Approvals: unsigned and a stranger's signature refused; the approver's recorded.
    JsonNode unsigned = call(teamA, "approve", "{\"cycle_id\":\"" + id + "\",\"approved\":true}");
    assertEquals("FORBIDDEN", errorCode(unsigned), unsigned.toString());
    JsonNode strangers = call(teamA, "approve", signed(id, Gate.AFTER_PLAN, stranger, now()));
    assertEquals("FORBIDDEN", errorCode(strangers), strangers.toString());
    assertEquals(revision, cluster.store.get(id).orElseThrow().revision(), "nothing changed");
    String approval = signed(id, Gate.AFTER_PLAN, approver, now());
    JsonNode approved = call(teamA, "approve", approval);
    assertFalse(approved.has("error"), approved.toString());
    CycleState after = cluster.state(id);
    Signoff signoff = after.signoffs().get(0);
    assertEquals(new String(approver.getPublicKey()), signoff.approver());
    assertEquals(Gate.AFTER_PLAN, signoff.gate());
    assertNotNull(signoff.signature());
    JsonNode replayed = call(teamA, "approve", approval);
    assertTrue(replayed.has("error"), "a replayed approval is refused: " + replayed);
    assertEquals(1, cluster.state(id).signoffs().size());
    call(teamA, "cancel", ref(id));
  }

  @Test
  void aTeamPublishesDurableTasksForItsOwnProjectsAndIsToldWhenOneIsNotItsOwn() throws Exception {
    Path own = Workspaces.withSpec(1).toRealPath();
    admin("projects.add", project("tasks-a", "teama", own, null));
    Subscription submittedA = teamA.subscribe("agentos.events.*.submitted.teama");
    Subscription rejectedB = teamB.subscribe("agentos.events.*.rejected.teamb");
    teamA.flush(Duration.ofSeconds(5));
    teamB.flush(Duration.ofSeconds(5));
    // Stops at the plan's approval gate: the cycle is cancelled below before anything else runs.
    byte[] task =
        Workspaces.submit(own, "{\"approvals\":{\"after_plan\":true}}")
            .replace("\"project\":\"shop\"", "\"project\":\"tasks-a\"")
            .getBytes(StandardCharsets.UTF_8);

    // `nats pub agentos.tasks.tasks-a '<task>'` as team A's user: the import puts it in the
    // services' intake stream as agentos.tasks.team.teama.tasks-a.
    teamA.publish("agentos.tasks.tasks-a", task);
    Message submitted = submittedA.nextMessage(Duration.ofSeconds(60));
    assertNotNull(submitted, "team A's task became a cycle team A sees");
    String id = Json.tree(submitted.getData()).path("cycle_id").asText();
    assertEquals("teama", cluster.state(id).team());
    assertEquals("tasks-a", cluster.state(id).project());
    int cycles = cluster.store.cycleIds().size();

    // The same task from team B: its import makes it team B's, and tasks-a is not team B's.
    teamB.publish("agentos.tasks.tasks-a", task);
    Message rejected = rejectedB.nextMessage(Duration.ofSeconds(60));
    assertNotNull(rejected, "team B is told why its task became no cycle");
    String why = Json.tree(rejected.getData()).path("message").asText();
    assertTrue(why.contains("not registered for team teamb"), why);
    assertEquals(cycles, cluster.store.cycleIds().size(), "team B's task made no cycle");

    call(teamA, "cancel", ref(id));
    Await.until(
        Duration.ofSeconds(30),
        "team A's task cycle to be cancelled",
        () -> cluster.state(id).status() == Status.CANCELLED);
  }

  @Test
  void aTeamKeepsItsOwnProjectsStandardsAndNeitherTheOtherTeamsNorTheSharedOnes() throws Exception {
    String style = "{\"scope\":\"shop\",\"name\":\"money\",\"content\":\"amounts in cents\"}";
    assertFalse(call(teamA, "standards.put", style).has("error"), "team A writes its project's");
    assertEquals(
        "amounts in cents",
        call(teamA, "standards.get", "{\"scope\":\"shop\",\"name\":\"money\"}")
            .path("content")
            .asText());
    assertEquals(
        "INVALID_REQUEST",
        errorCode(call(teamB, "standards.get", "{\"scope\":\"shop\",\"name\":\"money\"}")),
        "team B cannot read team A's project's standards");
    assertEquals(
        "INVALID_REQUEST",
        errorCode(call(teamB, "standards.put", style.replace("cents", "euros"))),
        "nor write them");
    assertEquals(
        "FORBIDDEN",
        errorCode(call(teamA, "standards.put", "{\"name\":\"naming\",\"content\":\"mine\"}")),
        "the shared scope is the operator's");
    assertEquals(
        "amounts in cents",
        admin("standards.get", "{\"scope\":\"shop\",\"name\":\"money\"}").path("content").asText());
    assertEquals(
        "NOT_FOUND",
        errorCode(
            cluster.requestJson(
                "agentos.api.standards.get", "{\"scope\":\"team\",\"name\":\"naming\"}")),
        "nothing written in the shared scope");
  }

  @Test
  void theOperatorsCliRegistersAProjectAndATeamsCliApprovesWithTheApproversSeedOnly()
      throws Exception {
    Path root = Workspaces.withSpec(1).toRealPath();
    String key = new String(approver.getPublicKey());
    CliRunner operator = cli("admin");
    CliRunner.Result added =
        operator.run(
            "project",
            "add",
            "cli-shop",
            "--team",
            "teama",
            "--root",
            root.toString(),
            "--approver",
            key,
            "--json");
    assertEquals(0, added.code(), added.toString());
    CliRunner.Result set = operator.run("project", "set", "cli-shop", "--max-cycles", "3");
    assertEquals(0, set.code(), set.toString());
    JsonNode shown =
        Json.tree(
            operator
                .run("project", "show", "cli-shop", "--json")
                .out()
                .getBytes(StandardCharsets.UTF_8));
    assertEquals("teama", shown.path("team").asText(), shown.toString());
    assertEquals(key, shown.path("approvers").path(0).asText(), shown.toString());
    assertEquals(3, shown.path("quotas").path("cycles_in_flight").asInt(), shown.toString());
    assertTrue(operator.run("project", "list").out().contains("cli-shop"), "the registry lists it");
    CliRunner teamACli = cli("teama");
    assertNotEquals(
        0, teamACli.run("project", "list").code(), "a team's user cannot read the registry");

    String body =
        Workspaces.submit(root, "{\"approvals\":{\"after_plan\":true}}")
            .replace("\"project\":\"shop\"", "\"project\":\"cli-shop\"");
    String id = call(teamA, "submit", body).path("cycle_id").asText();
    assertFalse(id.isEmpty());
    Await.until(
        Duration.ofSeconds(60),
        "the cycle to wait for approval",
        () -> cluster.state(id).status() == Status.AWAITING_APPROVAL);
    long revision = cluster.store.get(id).orElseThrow().revision();

    // agentos logs as a team: its account reads no stream, the API and the live events serve it.
    CliRunner.Result logs = teamACli.run("logs", id);
    assertEquals(0, logs.code(), logs.toString());
    assertTrue(logs.out().contains("submitted"), logs.toString());
    JsonNode events =
        Json.tree(teamACli.run("logs", id, "--json").out().getBytes(StandardCharsets.UTF_8));
    assertTrue(events.size() >= 2, events.toString());
    events.forEach(e -> assertEquals(id, e.path("cycle_id").asText(), e.toString()));
    CliRunner.Result following = teamACli.run("logs", id, "--follow");
    assertEquals(0, following.code(), "ends at the approval the cycle waits for: " + following);
    assertEquals(logs.out(), following.out());
    assertEquals(4, cli("teamb").run("logs", id).code(), "team B: an unknown cycle");

    CliRunner.Result strangers = teamACli.run("approve", id, "--nkey", seedFile(stranger));
    assertEquals(5, strangers.code(), strangers.toString());
    assertTrue(strangers.err().contains("FORBIDDEN"), strangers.toString());
    assertEquals(revision, cluster.store.get(id).orElseThrow().revision(), "nothing changed");
    CliRunner.Result approved = teamACli.run("approve", id, "--nkey", seedFile(approver));
    assertEquals(0, approved.code(), approved.toString());
    Signoff signoff = cluster.state(id).signoffs().get(0);
    assertEquals(key, signoff.approver());
    assertTrue(
        ApprovalSignature.verifies(
            key,
            ApprovalSignature.text(id, Gate.AFTER_PLAN, true, signoff.signedAt()),
            signoff.signature()),
        "the recorded signature is the approver's over this decision");
    call(teamA, "cancel", ref(id));
  }

  /** The agentos CLI as {@code user}, with a state dir of its own. */
  private static CliRunner cli(String user) throws Exception {
    return new CliRunner(
        Cluster.repoRoot(),
        Map.of(
            "AGENTOS_STATE_DIR", Files.createTempDirectory("agentos-cli-").toString(),
            "NATS_URL", cluster.nats.url(),
            "NATS_USER", user,
            "NATS_PASSWORD", stack.password(user)));
  }

  /** {@code key}'s seed in a file of mode 0600, as {@code nk -gen user -pubout} writes it. */
  private static String seedFile(NKey key) throws Exception {
    Path file = Files.createTempFile("approver-", ".nk");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(file, new String(key.getSeed()) + "\n" + new String(key.getPublicKey()));
    return file.toString();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** Nothing answers {@code subject} in the account of {@code as}: no reply ever comes. */
  private static void assertNoResponders(Connection as, String subject) {
    CompletableFuture<Message> reply =
        as.requestWithTimeout(
            subject, "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(3));
    assertThrows(
        Exception.class,
        () -> reply.get(10, java.util.concurrent.TimeUnit.SECONDS),
        "no reply on " + subject);
  }
}
