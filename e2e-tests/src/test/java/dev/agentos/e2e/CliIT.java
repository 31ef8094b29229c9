package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.json.Json;
import dev.agentos.testing.Await;
import dev.agentos.testing.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agentos CLI against nats-server and the four services, each its own process. */
class CliIT {
  private static Cluster cluster;
  private static CliRunner cli;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = Cluster.start(Map.of());
    Path state = Files.createTempDirectory("agentos-cli-state-");
    cli = new CliRunner(Cluster.repoRoot(), Map.of("AGENTOS_STATE_DIR", state.toString()));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The CLI pointed at the test cluster. */
  private static CliRunner.Result agentos(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--nats", cluster.nats.url()));
    return cli.run(argv.toArray(String[]::new));
  }

  private static String submitSpec(Path workspace, String... options) {
    List<String> argv = new ArrayList<>(List.of("submit", "--spec"));
    argv.add(workspace.resolve(Workspaces.SPEC).toString());
    argv.addAll(List.of(options));
    CliRunner.Result submit = agentos(argv.toArray(String[]::new));
    assertEquals(0, submit.code(), submit.toString());
    String id = submit.out().strip();
    assertTrue(id.matches("[a-z0-9-]{3,64}"), "submit prints only the cycle id: " + submit);
    return id;
  }

  @Test
  void submitThenWatchExitsZeroWhenTheCycleCompletes() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    String id = submitSpec(workspace, "--project", "shop");
    CliRunner.Result watch = agentos("watch", id, "--timeout", "60s");
    assertEquals(0, watch.code(), watch.toString());
    assertTrue(watch.out().contains("COMPLETED"), watch.out());
    assertTrue(watch.out().contains("step 2/2"), watch.out());
    String recap = workspace.resolve(".agent-os/recaps/2026-11-20-cart.md").toString();
    assertTrue(watch.out().contains("recap: " + recap), watch.out());
    assertTrue(Files.exists(Path.of(recap)), "the recap the watch names exists");
    assertTrue(!watch.out().contains("\u001B["), "no colour codes when not on a terminal");
  }

  @Test
  void statusJsonListsTheCycleAndShowsItInFull() throws Exception {
    String id = submitSpec(Workspaces.withSpec(1), "--project", "listed");
    assertEquals(0, agentos("watch", id, "--timeout", "60s").code());

    CliRunner.Result list = agentos("status", "--json");
    assertEquals(0, list.code(), list.toString());
    List<String> ids = new ArrayList<>();
    Json.tree(list.out().getBytes(StandardCharsets.UTF_8))
        .path("cycles")
        .forEach(c -> ids.add(c.path("cycle_id").asText()));
    assertTrue(ids.contains(id), id + " in " + ids);

    CliRunner.Result one = agentos("status", id, "--json");
    JsonNode state = Json.tree(one.out().getBytes(StandardCharsets.UTF_8));
    assertEquals(id, state.path("cycle_id").asText());
    assertEquals("COMPLETED", state.path("status").asText());
    assertEquals("listed", state.path("project").asText());

    CliRunner.Result text = agentos("status", id);
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.out().contains("status     COMPLETED"), text.out());
    assertTrue(
        text.out().matches("(?s).*\\n\\s+1\\s+1\\. Task number 1\\s+COMPLETED\\s+1\\s.*"),
        text.out());

    CliRunner.Result table = agentos("status", "--project", "listed");
    assertTrue(
        table.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("COMPLETED")),
        table.out());
  }

  @Test
  void logsShowTheCycleEventsInOrder() throws Exception {
    String id = submitSpec(Workspaces.withSpec(1));
    assertEquals(0, agentos("watch", id, "--timeout", "60s").code());

    CliRunner.Result logs = agentos("logs", id);
    assertEquals(0, logs.code(), logs.toString());
    List<String> lines = logs.out().lines().toList();
    assertTrue(lines.get(0).contains("submitted"), logs.out());
    assertTrue(logs.out().contains("step_started"), logs.out());
    assertTrue(lines.get(lines.size() - 1).contains("COMPLETED"), logs.out());

    CliRunner.Result json = agentos("logs", id, "--json");
    JsonNode events = Json.tree(json.out().getBytes(StandardCharsets.UTF_8));
    assertTrue(events.isArray() && events.size() == lines.size(), json.out());
    assertEquals("submitted", events.get(0).path("type").asText());
    assertEquals(id, events.get(0).path("cycle_id").asText());
  }

  @Test
  void aCycleAtAnApprovalGateExitsThreeAndGoesOnWhenApproved() throws Exception {
    String id = submitSpec(Workspaces.withSpec(1), "--approve-after-plan");
    CliRunner.Result waiting = agentos("watch", id, "--timeout", "60s");
    assertEquals(3, waiting.code(), waiting.toString());
    assertTrue(waiting.out().contains("AWAITING_APPROVAL at AFTER_PLAN"), waiting.out());
    assertTrue(waiting.out().contains("agentos approve " + id), waiting.out());

    CliRunner.Result approve = agentos("approve", id);
    assertEquals(0, approve.code(), approve.toString());
    assertTrue(approve.out().contains("EXECUTING"), approve.out());
    assertEquals(0, agentos("watch", id, "--timeout", "60s").code());
  }

  @Test
  void aCancelledCycleWatchesToExitTwo() throws Exception {
    String id = submitSpec(Workspaces.withSpec(1), "--approve-after-plan");
    assertEquals(3, agentos("watch", id, "--timeout", "60s").code());
    CliRunner.Result cancel = agentos("cancel", id, "--reason", "not now");
    assertEquals(0, cancel.code(), cancel.toString());
    CliRunner.Result watch = agentos("watch", id, "--timeout", "30s");
    assertEquals(2, watch.code(), watch.toString());
    assertTrue(watch.out().contains("CANCELLED"), watch.out());
  }

  @Test
  void unknownCycleSaysToSeeAgentosStatusAndExitsFour() {
    for (String command : List.of("status", "watch", "logs")) {
      CliRunner.Result run = agentos(command, "no-such-cycle");
      assertEquals(4, run.code(), command + "\n" + run);
      assertTrue(run.err().contains("no cycle 'no-such-cycle'"), run.err());
      assertTrue(run.err().contains("`agentos status`"), run.err());
    }
  }

  @Test
  void apiErrorsShowTheServersMessage() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    CliRunner.Result submit =
        agentos("submit", "--spec", "no/such/spec", "-w", workspace.toString());
    assertEquals(5, submit.code(), submit.toString());
    assertTrue(submit.err().contains("is not a folder in the workspace"), submit.err());
    assertTrue(submit.err().contains("[INVALID_REQUEST]"), submit.err());

    String id = submitSpec(workspace);
    assertEquals(0, agentos("watch", id, "--timeout", "60s").code());
    CliRunner.Result resume = agentos("resume", id);
    assertEquals(5, resume.code(), resume.toString());
    assertTrue(resume.err().contains("is COMPLETED"), resume.err());
    assertTrue(resume.err().contains("[INVALID_TRANSITION]"), resume.err());
  }

  @Test
  void servicesListsTheApiInstanceOfEveryRole() {
    // Discovery gathers answers for a moment: a service that answers later is asked again.
    JsonNode services =
        Await.value(
            Duration.ofSeconds(30),
            "`agentos services` to list four agentos-api instances",
            () -> {
              CliRunner.Result json = agentos("services", "--json");
              assertEquals(0, json.code(), json.toString());
              JsonNode listed =
                  Json.tree(json.out().getBytes(StandardCharsets.UTF_8)).path("services");
              long api = 0;
              for (JsonNode s : listed) {
                api += s.path("name").asText().equals("agentos-api") ? 1 : 0;
              }
              return api == 4 ? listed : null;
            });
    for (JsonNode s : services) {
      if (s.path("name").asText().equals("agentos-api")) {
        assertTrue(s.path("endpoints").size() >= 7, s.toString());
      }
    }
    CliRunner.Result text = agentos("services");
    assertTrue(text.out().contains("agentos.api.submit"), text.out());
  }

  @Test
  void unreachableNatsNamesTheUrlAndSuggestsAgentosUp() {
    String url = "nats://127.0.0.1:" + FreePort.pick();
    CliRunner.Result run = cli.run("status", "--nats", url);
    assertEquals(6, run.code(), run.toString());
    assertTrue(run.err().contains("cannot reach NATS at " + url), run.err());
    assertTrue(run.err().contains("agentos up"), run.err());
  }

  @Test
  void doctorFindsNatsTheTopologyAndTheServices() {
    CliRunner.Result doctor = agentos("doctor", "--json");
    JsonNode checks = Json.tree(doctor.out().getBytes(StandardCharsets.UTF_8)).path("checks");
    for (JsonNode check : checks) {
      if (List.of("nats", "jetstream", "topology", "services")
          .contains(check.path("name").asText())) {
        assertEquals("OK", check.path("level").asText(), check.toString());
      }
    }
  }

  @Test
  void theLauncherRunsTheBuiltCli() throws Exception {
    Path launcher = Cluster.repoRoot().resolve("bin/agentos");
    assumeTrue(
        Files.isRegularFile(Cluster.repoRoot().resolve("agentos-cli/target/agentos-cli.jar")),
        "the CLI jar is built by `mvn package`");
    Process p =
        new ProcessBuilder(
                "bash", launcher.toString(), "status", "--json", "--nats", cluster.nats.url())
            .redirectErrorStream(false)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
    assertEquals(
        0,
        p.exitValue(),
        out + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(Json.tree(out.getBytes(StandardCharsets.UTF_8)).path("cycles").isArray(), out);
  }
}
