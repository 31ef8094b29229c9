package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: parsing, messages, exit codes; nothing here needs NATS. */
class AgentOsCliTest {
  @TempDir Path root;

  private CliRun run(String... args) {
    return CliRun.of(CliRun.env(root, Map.of()), args);
  }

  /** A loopback port with nothing listening on it. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    CliRun run = run("--help");
    assertEquals(0, run.code(), run.toString());
    for (String command :
        List.of(
            "up",
            "down",
            "submit",
            "status",
            "watch",
            "logs",
            "history",
            "stats",
            "instructions",
            "resume",
            "retry",
            "cancel",
            "approve",
            "answer",
            "services",
            "doctor",
            "demo")) {
      assertTrue(run.out().contains("\n  " + command + " "), command + " in\n" + run.out());
    }
    assertTrue(run.out().contains("Exit codes:"), run.out());
    assertTrue(run.out().contains("3    the cycle waits for a person"), run.out());
    assertTrue(run.out().contains("64   invalid command line"), run.out());
  }

  @Test
  void everyCommandHasHelpWithTheExitCodes() {
    for (String command : List.of("submit", "watch", "status", "logs", "up", "down", "doctor")) {
      CliRun run = run(command, "--help");
      assertEquals(0, run.code(), run.toString());
      assertTrue(run.out().startsWith("Usage: agentos " + command), run.out());
      assertTrue(run.out().contains("Exit codes:"), run.out());
    }
  }

  @Test
  void noCommandShowsTheUsageAndExits64() {
    CliRun run = run();
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("name a command"), run.err());
  }

  @Test
  void aMistypedCommandSuggestsTheRightOne() {
    CliRun run = run("stauts");
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("agentos status"), run.err());
  }

  @Test
  void anUnknownOptionSaysWhereHelpIs() {
    CliRun run = run("status", "--natz", "x");
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("Unknown option: '--natz'"), run.err());
    assertTrue(run.err().contains("See `agentos status --help`"), run.err());
  }

  @Test
  void submitWithoutSpecOrGoalSaysWhatToGive() {
    CliRun run = run("submit", "--nats", "nats://127.0.0.1:1");
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("give --spec FOLDER"), run.err());
    assertTrue(run.err().contains("--goal TEXT"), run.err());
  }

  @Test
  void rejectingWithoutACommentIsRefusedBeforeAnythingIsSent() {
    CliRun run = run("approve", "c1", "--reject", "--nats", "nats://127.0.0.1:1");
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("--reject needs --comment"), run.err());
  }

  @Test
  void answerNeedsTheCycleAndTheTextAndSendsNothingWithoutThem() {
    CliRun run = run("answer", "c1", "--nats", "nats://127.0.0.1:1");
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("TEXT"), run.err());
    CliRun unreachable = run("answer", "c1", "EUR everywhere", "--nats", "nats://127.0.0.1:1");
    assertEquals(ExitCode.UNREACHABLE, unreachable.code(), unreachable.toString());
  }

  @Test
  void aBadDurationSaysHowToWriteOne() {
    CliRun run = run("watch", "c1", "--timeout", "soon");
    assertEquals(ExitCode.USAGE, run.code(), run.toString());
    assertTrue(run.err().contains("write e.g. 90s, 10m"), run.err());
  }

  @Test
  void unreachableNatsNamesTheUrlTriedAndSuggestsAgentosUp() throws IOException {
    String url = "nats://127.0.0.1:" + closedPort();
    for (List<String> args :
        List.of(
            List.of("status"),
            List.of("status", "c1"),
            List.of("watch", "c1"),
            List.of("logs", "c1"),
            List.of("services"),
            List.of("cancel", "c1"),
            List.of("submit", "--goal", "x"))) {
      List<String> argv = new ArrayList<>(args);
      argv.addAll(List.of("--nats", url));
      CliRun run = run(argv.toArray(String[]::new));
      assertEquals(ExitCode.UNREACHABLE, run.code(), args + "\n" + run);
      assertTrue(run.err().contains("cannot reach NATS at " + url + " (from --nats)"), run.err());
      assertTrue(run.err().contains("agentos up"), run.err());
    }
  }

  @Test
  void theErrorSaysWhenTheUrlCameFromNatsUrl() throws IOException {
    String url = "nats://127.0.0.1:" + closedPort();
    CliRun run = CliRun.of(CliRun.env(root, Map.of("NATS_URL", url)), "status");
    assertEquals(ExitCode.UNREACHABLE, run.code(), run.toString());
    assertTrue(run.err().contains(url + " (from NATS_URL)"), run.err());
  }

  @Test
  void downWithNothingStartedSaysSo() {
    CliRun run =
        CliRun.of(
            CliRun.env(root, Map.of("AGENTOS_STATE_DIR", root.resolve("state").toString())),
            "down");
    assertEquals(0, run.code(), run.toString());
    assertTrue(run.out().contains("Agent OS is not up"), run.out());
  }

  @Test
  void upWithoutBuiltServicesSaysHowToBuildThem() {
    CliRun run =
        CliRun.of(
            CliRun.env(root, Map.of("AGENTOS_STATE_DIR", root.resolve("state").toString())), "up");
    assertEquals(ExitCode.SETUP, run.code(), run.toString());
    assertTrue(run.err().contains("the service jars are not built"), run.err());
    assertTrue(run.err().contains("mvn -B -DskipTests package"), run.err());
    assertFalse(Files.exists(root.resolve("state/run.json")), "nothing was started");
  }

  @Test
  void doctorJsonListsEveryCheckAndNeverShowsAKey() throws IOException {
    String key = "sk-very-secret-123";
    Map<String, String> vars =
        Map.of(
            "AGENTOS_STATE_DIR",
            root.resolve("state").toString(),
            "AGENTOS_AGENTS_EXECUTOR_BACKEND",
            "openai",
            "AGENTOS_AGENTS_EXECUTOR_MODEL",
            "gpt-4.1",
            "AGENTOS_AGENTS_EXECUTOR_API_KEY",
            key);
    CliRun run =
        CliRun.of(
            CliRun.env(root, vars),
            "doctor",
            "--json",
            "--nats",
            "nats://127.0.0.1:" + closedPort());
    assertEquals(ExitCode.SETUP, run.code(), run.toString());
    assertFalse(run.out().contains(key) || run.err().contains(key), "the key is never printed");
    JsonNode report = Json.tree(run.out().getBytes());
    assertFalse(report.path("ok").asBoolean(true));
    assertEquals("--nats", report.path("nats_url_source").asText());
    JsonNode checks = report.path("checks");
    List<String> names = new ArrayList<>();
    checks.forEach(c -> names.add(c.path("name").asText()));
    assertEquals(
        List.of(
            "java",
            "nats-server",
            "nats",
            "jetstream",
            "topology",
            "services",
            "service jars",
            "local stack",
            "agent planner",
            "agent executor",
            "agent express",
            "agent review"),
        names);
    JsonNode nats = checks.get(2);
    assertEquals("FAIL", nats.path("level").asText());
    assertTrue(nats.path("fix").asText().contains("agentos up"), nats.toString());
    JsonNode executor = checks.get(9);
    assertEquals("OK", executor.path("level").asText());
    assertEquals("openai model gpt-4.1 (key set)", executor.path("detail").asText());
  }

  @Test
  void doctorTextSaysHowToFixEachFailure() throws IOException {
    CliRun run =
        CliRun.of(
            CliRun.env(root, Map.of("AGENTOS_STATE_DIR", root.resolve("state").toString())),
            "doctor",
            "--nats",
            "nats://127.0.0.1:" + closedPort());
    assertEquals(ExitCode.SETUP, run.code(), run.toString());
    assertTrue(run.out().contains("FAIL  nats"), run.out());
    assertTrue(run.out().contains("fix: run `agentos up`"), run.out());
    assertTrue(run.out().contains("FAIL  service jars"), run.out());
    assertTrue(run.out().contains("WARN  agent executor"), run.out());
  }

  @Test
  void versionNamesTheCliAndJava() {
    CliRun run = run("--version");
    assertEquals(0, run.code(), run.toString());
    assertTrue(run.out().startsWith("agentos "), run.out());
    assertTrue(run.out().contains("Java 17") || run.out().contains("Java "), run.out());
  }
}
