package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.Interrupts;
import dev.agentos.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command agent through the launcher, with real processes: what it can see of the service, and
 * that nothing it does — a flood of output, a prompt it never reads, a child it leaves behind —
 * holds the service past its deadline, and a cancel kills its whole process tree at once.
 */
class CommandBackendLimitsIT {
  private static final String NATS_SECRET = "nats-secret-4c1d";
  private static final String KEY_SECRET = "sk-secret-9f2e";
  private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

  @TempDir Path workspace;

  @Test
  void anAgentFindsNoSecretOfTheServiceInItsOrItsParentsEnvironment() throws Exception {
    Process service =
        probe(
            "env",
            List.of(),
            Map.of(
                "NATS_PASSWORD",
                NATS_SECRET,
                "AGENTOS_NATS_PASSWORD",
                NATS_SECRET,
                "OPENAI_API_KEY",
                KEY_SECRET,
                AgentServiceProbe.PROFILE_KEY,
                "profile-value"));
    try {
      String answer = readUntilEnd(service);
      // The secrets really are in the service process the agent runs under...
      String serviceEnv =
          Files.readString(Path.of("/proc/" + service.pid() + "/environ"), StandardCharsets.UTF_8);
      assertTrue(serviceEnv.contains(NATS_SECRET) && serviceEnv.contains(KEY_SECRET));
      // ...and the agent sees the one variable its profile allows, and none of them.
      String own = answer.substring(0, answer.indexOf("---parent---"));
      String parent = answer.substring(answer.indexOf("---parent---"));
      assertTrue(own.contains(AgentServiceProbe.PROFILE_KEY + "=profile-value"), own);
      assertTrue(own.contains("TMPDIR="), own);
      assertTrue(parent.contains("PATH="), "the parent's environ was read: " + parent);
      for (String secret : List.of(NATS_SECRET, KEY_SECRET)) {
        assertFalse(answer.contains(secret), "the agent saw " + secret + ":\n" + answer);
      }
    } finally {
      service.getOutputStream().close();
      service.waitFor(30, TimeUnit.SECONDS);
      service.destroyForcibly();
    }
  }

  @Test
  void anAgentPrintingAGibibyteGivesABoundedAnswerInASmallHeap() throws Exception {
    Process service = probe("flood", List.of("-Xmx64m"), Map.of());
    String report = readUntilEnd(service);
    assertTrue(service.waitFor(120, TimeUnit.SECONDS), "the probe service ended");
    assertEquals(0, service.exitValue(), report);
    long chars = Long.parseLong(report.replaceAll("(?s).*chars=(\\d+).*", "$1"));
    // Head and tail of 1 MiB each plus the note of what was left out; a heap of 64 MiB holds it.
    assertTrue(chars > 2_000_000 && chars < 2_200_000, report);
    assertTrue(report.contains("middle-dropped=true"), "all 1 GiB was read: " + report);
  }

  @Test
  void aServiceThatStopsKillsTheAgentsItIsRunning() throws Exception {
    Process service = probe("hang", List.of(), Map.of());
    try {
      Processes.pidIn(workspace.resolve("bg.pid"), Duration.ofSeconds(30));
      service.destroy(); // SIGTERM, as agentos down and Kubernetes stop a service
      assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the probe service stopped");
      assertTreeGone();
    } finally {
      service.destroyForcibly();
    }
  }

  @Test
  void anAgentThatNeverReadsATenMebibytePromptEndsAtItsTimeout() throws Exception {
    CommandBackend agent = agent("echo $$ > agent.pid; sleep 1000 & echo $! > bg.pid; wait");
    String prompt = "x".repeat(10 << 20);
    long started = System.nanoTime();
    AgentOsException timedOut =
        assertThrows(
            AgentOsException.class, () -> agent.call(request(prompt, Duration.ofSeconds(2))));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(ErrorCode.AGENT_TIMEOUT, timedOut.code());
    assertTrue(took.compareTo(ENDS_WITHIN) < 0, "took " + took);
    assertTreeGone();
  }

  @Test
  void anAgentThatExitsLeavingABackgroundChildOnItsOutputReturnsAtOnce() throws Exception {
    CommandBackend agent = agent("echo $$ > agent.pid; sleep 1000 & echo $! > bg.pid; echo done");
    long started = System.nanoTime();
    AgentResult result = agent.call(request("p", Duration.ofSeconds(120)));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals("done", result.text().strip());
    assertTrue(took.compareTo(ENDS_WITHIN) < 0, "took " + took);
    assertTreeGone();
  }

  @Test
  void cancellingAnAgentThatFloodsItsOutputKillsItAtOnce() {
    CommandBackend agent = agent("echo $$ > agent.pid; sleep 1000 & echo $! > bg.pid; yes");
    cancelOnceStarted(() -> agent.call(request("p", Duration.ofSeconds(600))));
  }

  @Test
  void cancellingAnAgentThatNeverReadsItsPromptKillsItAtOnce() {
    CommandBackend agent = agent("echo $$ > agent.pid; sleep 1000 & echo $! > bg.pid; wait");
    String prompt = "x".repeat(10 << 20);
    cancelOnceStarted(() -> agent.call(request(prompt, Duration.ofSeconds(600))));
  }

  @Test
  void cancellingAnAgentWhoseChildHoldsItsOutputKillsBoth() {
    CommandBackend agent =
        agent("echo $$ > agent.pid; (sleep 1000; echo late) & echo $! > bg.pid; sleep 1000");
    cancelOnceStarted(() -> agent.call(request("p", Duration.ofSeconds(600))));
  }

  private void cancelOnceStarted(Supplier<AgentResult> call) {
    Interrupts.Cancelled cancelled =
        Interrupts.interruptOnceStarted(
            () -> Processes.pidIn(workspace.resolve("bg.pid"), Duration.ofSeconds(20)),
            call::get,
            ENDS_WITHIN);
    assertTrue(cancelled.took().compareTo(Duration.ofSeconds(6)) < 0, "took " + cancelled.took());
    AgentOsException thrown = assertInstanceOf(AgentOsException.class, cancelled.thrown());
    assertEquals(ErrorCode.CANCELLED, thrown.code());
    assertTrue(cancelled.flagStillSet(), "the interrupt flag stays set");
    assertTreeGone();
  }

  /** The agent and the child it put in the background both run no more, soon. */
  private void assertTreeGone() {
    for (String file : List.of("agent.pid", "bg.pid")) {
      Processes.awaitGone(
          Processes.pidIn(workspace.resolve(file), Duration.ofSeconds(5)), Duration.ofSeconds(5));
    }
  }

  private CommandBackend agent(String script) {
    return new CommandBackend(List.of("sh", "-c", script), PromptMode.STDIN, Map.of());
  }

  private AgentRequest request(String prompt, Duration timeout) {
    return new AgentRequest("executor", prompt, workspace, timeout, Map.of());
  }

  private Process probe(String mode, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            AgentServiceProbe.class.getName(),
            mode,
            workspace.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  /** The probe's output up to its end marker; a probe that dies first fails the test. */
  private static String readUntilEnd(Process probe) throws IOException {
    StringBuilder out = new StringBuilder();
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      if (line.equals(AgentServiceProbe.END)) {
        return out.toString();
      }
      out.append(line).append('\n');
    }
    throw new AssertionError("the probe ended without its report:\n" + out);
  }
}
