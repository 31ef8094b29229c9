package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandBackendTest {
  static final Duration GENEROUS = Duration.ofSeconds(30);

  @TempDir Path dir;
  Path workspace;

  @BeforeEach
  void createWorkspace() throws IOException {
    workspace = Files.createDirectory(dir.resolve("workspace"));
  }

  Path script(String body) throws IOException {
    Path script = dir.resolve("agent-" + System.nanoTime() + ".sh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  CommandBackend backend(Path script, PromptMode mode) {
    return new CommandBackend(List.of(script.toString()), mode, Map.of());
  }

  AgentRequest request(String prompt, Duration timeout, Map<String, String> environment) {
    return new AgentRequest("executor", prompt, workspace, timeout, environment);
  }

  AgentRequest request(String prompt) {
    return request(prompt, GENEROUS, Map.of());
  }

  @Test
  void promptOnStdinReachesTheScriptAndItsStdoutIsTheAnswer() throws IOException {
    CommandBackend backend = backend(script("cat"), PromptMode.STDIN);
    String prompt = "implement step 1.2\nwith \"quotes\", $dollars and ünïcode";

    AgentResult result = backend.call(request(prompt));

    assertEquals(prompt, result.text());
    assertEquals(0, result.exitStatus());
    assertTrue(result.usage().wallSeconds() > 0);
    assertEquals(0, result.usage().tokens());
  }

  @Test
  void argumentModePassesThePromptAsTheLastArgument() throws IOException {
    CommandBackend backend =
        new CommandBackend(
            List.of(script("printf '%s|%s' \"$1\" \"$2\"").toString(), "--message"),
            PromptMode.ARGUMENT,
            Map.of());

    AgentResult result = backend.call(request("fix the 'cart' bug; rm -rf / # not run"));

    assertEquals("--message|fix the 'cart' bug; rm -rf / # not run", result.text());
  }

  @Test
  void runsInTheWorkspaceWithTheCycleEnvironment() throws IOException {
    CommandBackend backend =
        new CommandBackend(
            List.of(
                script(
                        "printf '%s|%s|%s|%s|%s' \"$AGENTOS_CYCLE_ID\" \"$AGENTOS_STEP_ID\""
                            + " \"$AGENTOS_ATTEMPT\" \"$AGENTOS_ROLE\" \"$(pwd -P)\"")
                    .toString()),
            PromptMode.STDIN,
            Map.of(AgentRequest.ROLE, "executor"));
    Map<String, String> environment =
        Map.of(
            AgentRequest.CYCLE_ID, "c-42", AgentRequest.STEP_ID, "1.2", AgentRequest.ATTEMPT, "3");

    AgentResult result = backend.call(request("go", GENEROUS, environment));

    assertEquals("c-42|1.2|3|executor|" + workspace.toRealPath(), result.text());
  }

  @Test
  void nonZeroExitIsAgentFailedWithTheTailOfStderr() throws IOException {
    CommandBackend backend =
        backend(
            script(
                "echo partial answer\n"
                    + "i=0; while [ $i -lt 600 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done\n"
                    + "echo 'fatal: the real reason' >&2\n"
                    + "exit 3"),
            PromptMode.STDIN);

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend.call(request("go")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().contains("exited with 3"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("fatal: the real reason"), failure.getMessage());
    assertFalse(failure.getMessage().contains("noise line 0\n"), "only the tail of stderr");
    assertTrue(failure.getMessage().length() < CommandBackend.STDERR_TAIL_CHARS + 200);
  }

  @Test
  void timeoutIsAgentTimeoutAndTheProcessAndItsChildrenAreGone() throws IOException {
    Path scriptPid = dir.resolve("script.pid");
    Path childPid = dir.resolve("child.pid");
    CommandBackend backend =
        backend(
            script(
                "sleep 300 &\n"
                    + "echo $! > '"
                    + childPid
                    + "'\n"
                    + "echo $$ > '"
                    + scriptPid
                    + "'\n"
                    + "wait"),
            PromptMode.STDIN);

    AgentOsException failure =
        assertTimeoutPreemptively(
            GENEROUS,
            () ->
                assertThrows(
                    AgentOsException.class,
                    () -> backend.call(request("go", Duration.ofSeconds(2), Map.of()))));

    assertEquals(ErrorCode.AGENT_TIMEOUT, failure.code());
    assertTrue(failure.getMessage().contains("ran longer than PT2S"), failure.getMessage());
    for (Path pidFile : List.of(scriptPid, childPid)) {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      Await.until(
          Duration.ofSeconds(10),
          "process " + pid + " from " + pidFile.getFileName() + " to be gone",
          () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
  }

  @Test
  void oneMegabyteOfStdoutDoesNotDeadlock() throws IOException {
    int size = 1024 * 1024;
    CommandBackend backend =
        backend(script("head -c " + size + " /dev/zero | tr '\\0' 'x'"), PromptMode.STDIN);

    AgentResult result = assertTimeoutPreemptively(GENEROUS, () -> backend.call(request("go")));

    assertEquals(size, result.text().length());
    assertTrue(result.text().chars().allMatch(c -> c == 'x'));
  }

  @Test
  void oneMegabytePromptEchoedBackDoesNotDeadlock() throws IOException {
    String prompt = "p".repeat(1024 * 1024);
    CommandBackend backend = backend(script("cat"), PromptMode.STDIN);

    AgentResult result = assertTimeoutPreemptively(GENEROUS, () -> backend.call(request(prompt)));

    assertEquals(prompt.length(), result.text().length());
  }

  @Test
  void anAnswerPastTheKeptHeadAndTailComesWholeUpToTheStoreCap() throws IOException {
    // Three MiB: more than the 1 MiB head plus 1 MiB tail kept per stream, less than the 4 MiB the
    // launcher keeps whole for the object store; the transcript must not lose its middle.
    int size = 3 * 1024 * 1024;
    CommandBackend backend =
        backend(script("head -c " + size + " /dev/zero | tr '\\0' 'x'"), PromptMode.STDIN);

    AgentResult result = assertTimeoutPreemptively(GENEROUS, () -> backend.call(request("go")));

    assertEquals(size, result.text().length());
    assertTrue(result.text().chars().allMatch(c -> c == 'x'), "nothing was left out");
  }
}
