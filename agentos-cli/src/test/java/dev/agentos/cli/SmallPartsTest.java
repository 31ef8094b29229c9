package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, durations, tables, run.json and role agents. */
class SmallPartsTest {
  @TempDir Path dir;

  @Test
  void eachStoppedStatusHasItsExitCodeAndRunningOnesNone() {
    assertEquals(0, ExitCode.ofCycle(Status.COMPLETED));
    assertEquals(1, ExitCode.ofCycle(Status.FAILED));
    assertEquals(2, ExitCode.ofCycle(Status.CANCELLED));
    assertEquals(3, ExitCode.ofCycle(Status.PAUSED));
    assertEquals(3, ExitCode.ofCycle(Status.AWAITING_APPROVAL));
    for (Status running :
        List.of(
            Status.QUEUED,
            Status.PLANNING,
            Status.EXECUTING,
            Status.EXPRESSING,
            Status.REVIEWING)) {
      assertEquals(-1, ExitCode.ofCycle(running), running.name());
    }
  }

  @Test
  void durationsReadTheShortFormsAndIso() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s", "--timeout"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m", "--timeout"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "--timeout"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("PT2M", "--timeout"));
    CliException e = assertThrows(CliException.class, () -> Durations.parse("10 min", "--x"));
    assertEquals(ExitCode.USAGE, e.exitCode());
  }

  @Test
  void elapsedTimesReadLikeAClock() {
    assertEquals("00:07", Elapsed.clock(Duration.ofSeconds(7)));
    assertEquals("1:02:03", Elapsed.clock(Duration.ofSeconds(3723)));
    assertEquals("850ms", Elapsed.brief(Duration.ofMillis(850)));
    assertEquals("3.2s", Elapsed.brief(Duration.ofMillis(3200)));
    assertEquals("4m12s", Elapsed.brief(Duration.ofSeconds(252)));
  }

  @Test
  void tableColumnsAlignEvenWithColouredCells() {
    Style colour = new Style(true);
    List<String> lines =
        new Table("A", "B").row(colour.red("xx"), "1").row("yyyy", "2").lines(colour);
    assertEquals(
        List.of("A     B", "xx    1", "yyyy  2"), lines.stream().map(Style::strip).toList());
  }

  @Test
  void runRecordSurvivesTheRoundTripThroughRunJson() {
    StateDir state = new StateDir(dir);
    RunRecord run =
        new RunRecord(
            Instant.parse("2026-11-20T10:00:00Z"),
            "nats://127.0.0.1:40001",
            new RunRecord.ProcessRecord(
                "nats-server", 11, Instant.parse("2026-11-20T09:59:59Z"), 40001, "/l/nats.log"),
            List.of(new RunRecord.ProcessRecord("planner", 12, null, 8181, "/l/planner.log")),
            Map.of("executor", "command bash x.sh"));
    state.writeRun(run);
    assertEquals(run, state.readRun().orElseThrow());
    assertTrue(java.nio.file.Files.exists(state.runFile()) && state.runFile().endsWith("run.json"));
    state.deleteRun();
    assertTrue(state.readRun().isEmpty());
  }

  @Test
  void aProcessWithTheSamePidButAnotherStartIsNotOurs() {
    Instant start = Instant.parse("2026-11-20T10:00:00Z");
    assertTrue(LocalProcesses.sameStart(start.plusMillis(900), start));
    assertTrue(!LocalProcesses.sameStart(start.plusSeconds(30), start));
    RunRecord.ProcessRecord self =
        new RunRecord.ProcessRecord(
            "self", ProcessHandle.current().pid(), Instant.EPOCH, 1, "/dev/null");
    assertTrue(LocalProcesses.live(self).isEmpty(), "same pid, other start time");
  }

  @Test
  void aFreePortIsNeverHandedOutTwice() {
    // `agentos up` starts nats-server and four services, each on a port of its own.
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      assertTrue(ports.add(LocalProcesses.freePort()), "port handed out twice: " + ports.size());
    }
  }

  @Test
  void roleAgentsSayWhatIsMissingWithoutShowingKeys() {
    Environment env =
        CliRun.env(
            dir,
            Map.of(
                "AGENTOS_AGENTS_EXECUTOR_BACKEND", "anthropic",
                "AGENTOS_AGENTS_EXECUTOR_MODEL", "claude-sonnet-4-5",
                "AGENTOS_AGENTS_PLANNER_BACKEND", "openai",
                "AGENTOS_AGENTS_REVIEW_COMMAND", "bash review.sh",
                "AGENTOS_AGENTS_EXPRESS_BACKEND", "gemini"));
    RoleAgent executor = RoleAgent.of(env, "executor");
    assertEquals(
        "anthropic at its public API needs a key: set AGENTOS_AGENTS_EXECUTOR_API_KEY",
        executor.problem().orElseThrow());
    assertEquals("anthropic model claude-sonnet-4-5 (no key)", executor.describe());
    assertEquals(
        "AGENTOS_AGENTS_PLANNER_BACKEND=openai needs AGENTOS_AGENTS_PLANNER_MODEL",
        RoleAgent.of(env, "planner").problem().orElseThrow());
    assertTrue(RoleAgent.of(env, "express").problem().orElseThrow().contains("not a backend"));
    assertEquals("command bash review.sh", RoleAgent.of(env, "review").describe());
    assertEquals(DoctorCheck.Level.FAIL, Doctor.agent(executor).level());
    assertEquals(DoctorCheck.Level.OK, Doctor.agent(RoleAgent.of(env, "review")).level());
  }

  @Test
  void anOllamaOrLocalOpenAiServerNeedsNoKey() {
    Environment env =
        CliRun.env(
            dir,
            Map.of(
                "AGENTOS_AGENTS_EXECUTOR_BACKEND", "openai",
                "AGENTOS_AGENTS_EXECUTOR_MODEL", "qwen",
                "AGENTOS_AGENTS_EXECUTOR_BASE_URL", "http://127.0.0.1:8000/v1",
                "AGENTOS_AGENTS_PLANNER_BACKEND", "ollama",
                "AGENTOS_AGENTS_PLANNER_MODEL", "llama3"));
    assertTrue(RoleAgent.of(env, "executor").problem().isEmpty());
    assertTrue(RoleAgent.of(env, "planner").problem().isEmpty());
  }
}
