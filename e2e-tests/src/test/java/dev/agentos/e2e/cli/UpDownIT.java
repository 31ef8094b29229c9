package dev.agentos.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.testing.Await;
import dev.agentos.testing.NatsServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code agentos up}, {@code demo} and {@code down} with a private state dir: up starts its own
 * nats-server on a free port and the four services, demo runs the sample spec to the end, and down
 * stops exactly the processes up started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpDownIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path state;
  private static CliRunner cli;

  @BeforeAll
  static void privateStateDir() throws Exception {
    assumeTrue(NatsServerProcess.findBinary().isPresent(), "needs nats-server on the PATH");
    Path root = Path.of(System.getProperty("agentos.repo.root", "..")).toAbsolutePath().normalize();
    state = Files.createTempDirectory("agentos-up-");
    cli = new CliRunner(root, Map.of("AGENTOS_STATE_DIR", state.toString()));
  }

  /** If a test failed half way, stop whatever up started so that nothing outlives the run. */
  @AfterAll
  static void stopLeftovers() {
    if (state == null || !Files.exists(state.resolve("run.json"))) {
      return;
    }
    for (long pid : pids(run())) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static JsonNode run() {
    try {
      return Json.tree(Files.readAllBytes(state.resolve("run.json")));
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read run.json", e);
    }
  }

  private static List<Long> pids(JsonNode run) {
    List<Long> pids = new ArrayList<>();
    run.path("services").forEach(s -> pids.add(s.path("pid").asLong()));
    if (run.path("nats").isObject()) {
      pids.add(run.path("nats").path("pid").asLong());
    }
    return pids;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static int health(int port) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  @Order(1)
  void upStartsItsOwnNatsServerOnAFreePortTheFourServicesAndTheConsole() throws Exception {
    CliRunner.Result up = cli.run("up", "--timeout", "120s");
    assertEquals(0, up.code(), up.toString());
    assertTrue(up.out().contains("Agent OS is up."), up.out());

    JsonNode run = run();
    JsonNode nats = run.path("nats");
    assertTrue(nats.isObject(), "up started a nats-server: " + run);
    assertNotEquals(4222, nats.path("port").asInt(), "never the shared default port");
    assertEquals("nats://127.0.0.1:" + nats.path("port").asInt(), run.path("nats_url").asText());
    assertTrue(Files.isDirectory(state.resolve("nats")), "NATS data in the state dir");
    // Its only user has a generated password, in a file only its owner reads; no one else gets in.
    assertEquals(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(state.resolve("nats-auth.conf")));
    String url = run.path("nats_url").asText();
    org.junit.jupiter.api.Assertions.assertThrows(
        Exception.class,
        () ->
            io.nats.client.Nats.connect(
                    io.nats.client.Options.builder()
                        .server(url)
                        .connectionTimeout(Duration.ofSeconds(3))
                        .maxReconnects(0)
                        .build())
                .close(),
        "a connection without the generated password is refused");
    for (String log : List.of("nats-server", "planner")) {
      String text = Files.readString(state.resolve("logs/" + log + ".log"));
      String password =
          Files.readAllLines(state.resolve("nats-auth.conf")).stream()
              .filter(l -> l.strip().startsWith("password:"))
              .findFirst()
              .orElseThrow()
              .replaceAll(".*\"(.*)\".*", "$1");
      assertTrue(!text.contains(password), log + " logged the generated password");
    }

    List<String> roles = new ArrayList<>();
    for (JsonNode service : run.path("services")) {
      roles.add(service.path("name").asText());
      assertTrue(alive(service.path("pid").asLong()), service.toString());
      assertEquals(200, health(service.path("port").asInt()), service.toString());
      assertTrue(Files.exists(Path.of(service.path("log").asText())), service.toString());
    }
    assertEquals(List.of("planner", "executor", "express", "review", "console"), roles);
    int consolePort = run.path("services").get(4).path("port").asInt();
    assertTrue(
        up.out().contains("Console   http://127.0.0.1:" + consolePort + "/"),
        "up prints the console's URL: " + up.out());
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Cycles · Agent OS</title>"), page.body());
  }

  @Test
  @Order(2)
  void upWhenAlreadyUpSaysSoAndStartsNothing() {
    List<Long> before = pids(run());
    CliRunner.Result again = cli.run("up");
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("Agent OS is already up"), again.out());
    assertEquals(before, pids(run()));
  }

  @Test
  @Order(3)
  void demoRunsTheSampleSpecToCompletionWithTheExampleAgent() throws Exception {
    CliRunner.Result demo = cli.run("demo", "--timeout", "120s");
    assertEquals(0, demo.code(), demo.toString());
    assertTrue(demo.out().contains("the example agent examples/agents/demo-agent.sh"), demo.out());
    assertTrue(demo.out().contains("COMPLETED"), demo.out());

    Path workspace;
    try (var dirs = Files.list(state.resolve("workspaces"))) {
      Optional<Path> only = dirs.findFirst();
      assertTrue(only.isPresent(), "the demo workspace is under the state dir");
      workspace = only.get();
    }
    assertTrue(Files.exists(workspace.resolve(".agent-os/recaps/2026-11-20-cart.md")), "recap");
    String notes = Files.readString(workspace.resolve("NOTES.md"), StandardCharsets.UTF_8);
    assertTrue(notes.contains("## Step 3: 3. Documentation"), notes);
    String tasks = Files.readString(workspace.resolve(".agent-os/specs/2026-11-20-cart/tasks.md"));
    assertTrue(tasks.contains("- [x] 1. Cart items"), tasks);
    assertTrue(Files.isDirectory(workspace.resolve(".git")), "the workspace is a git repository");

    // Without --nats, commands use the server up started (remembered in the state dir).
    CliRunner.Result status = cli.run("status", "--json");
    assertEquals(0, status.code(), status.toString());
    JsonNode cycles = Json.tree(status.out().getBytes(StandardCharsets.UTF_8)).path("cycles");
    assertEquals(1, cycles.size(), status.out());
    assertEquals("COMPLETED", cycles.get(0).path("status").asText());
    // The demo registers its own project and submits through the registry, as a team would.
    assertEquals("agentos-demo", cycles.get(0).path("project").asText());
    CliRunner.Result project = cli.run("project", "show", "agentos-demo", "--json");
    assertEquals(0, project.code(), project.toString());
    assertEquals(
        "local",
        Json.tree(project.out().getBytes(StandardCharsets.UTF_8)).path("team").asText(),
        project.out());
    String id = cycles.get(0).path("cycle_id").asText();
    assertEquals(
        "local",
        Json.tree(cli.run("status", id, "--json").out().getBytes(StandardCharsets.UTF_8))
            .path("team")
            .asText(),
        "the demo's cycle belongs to its project's team");
    assertTrue(demo.out().contains("agentos logs " + id), demo.out());
    JsonNode state =
        Json.tree(cli.run("status", id, "--json").out().getBytes(StandardCharsets.UTF_8));
    assertNotNull(
        state.path("iterations").get(0).path("execution").path("steps").get(0).get("workspace_ref"),
        "each step records the commit it worked on");
  }

  @Test
  @Order(4)
  void downStopsExactlyThePidsUpStartedAndKeepsTheData() {
    List<Long> pids = pids(run());
    assertEquals(6, pids.size(), "nats-server, four services and the console");
    CliRunner.Result down = cli.run("down", "--timeout", "40s");
    assertEquals(0, down.code(), down.toString());
    Await.until(
        Duration.ofSeconds(10),
        "every process up started to exit",
        () -> pids.stream().noneMatch(UpDownIT::alive));
    assertTrue(!Files.exists(state.resolve("run.json")), "run.json is gone");
    assertTrue(Files.isDirectory(state.resolve("nats")), "the NATS data stays");
    assertTrue(Files.isDirectory(state.resolve("logs")), "the logs stay");
    for (long pid : pids) {
      assertTrue(down.out().contains("(pid " + pid + ") stopped"), down.out());
    }
    CliRunner.Result again = cli.run("down");
    assertTrue(again.out().contains("Agent OS is not up"), again.out());
  }
}
