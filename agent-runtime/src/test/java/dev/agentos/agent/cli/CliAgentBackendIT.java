package dev.agentos.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentResult;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.StepRequests;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each preset runs its (fake) tool in the documented non-interactive mode through the launcher, in
 * a HOME of its own, and reads its answer, tokens and cost from the documented output.
 */
class CliAgentBackendIT {
  private static final PriceTable PRICES =
      PriceTable.parse("gpt-5-codex=1.25/10,gemini-2.5-pro=1.25/10,gemini-2.5-flash=0.3/2.5");

  @TempDir Path workspace;
  @TempDir Path scratch;

  @Test
  void claudeCodeReportsItsAnswerSessionCacheTokensAndCost() throws Exception {
    CliOptions options = new CliOptions("acceptEdits", List.of("Read", "Write"), 7, null, scratch);
    CliAgentBackend claude = backend(Backend.CLAUDE_CODE, "claude", null, options);

    CliAgentBackend.CliRun run =
        claude.run(
            StepRequests.of(workspace, "1"),
            CliSession.fresh("6f0e5c2a-1111-4222-8333-444455556666"));

    AgentResult result = run.result();
    assertEquals("Step 1 is done.", result.text());
    assertEquals("6f0e5c2a-1111-4222-8333-444455556666", run.sessionId(), "the id fixed before");
    assertEquals(1200 + 300 + 500, result.usage().tokensIn(), "cache tokens are input tokens");
    assertEquals(250, result.usage().tokensOut());
    assertEquals(0.0421, result.usage().costUsd(), 1e-9, "the cost Claude Code reported");
    assertEquals("claude-sonnet-4-5", result.model());
    assertEquals(2, run.report().turns());
    assertTrue(
        run.report()
            .events()
            .contains(new CliEvent(CliEvent.Kind.FILE_EDIT, "Write work/step-1.txt")),
        run.report().events().toString());
    String log = Files.readString(workspace.resolve(".fake-cli.log"));
    assertTrue(log.contains("--permission-mode=acceptEdits"), log);
    assertTrue(log.contains("--allowedTools=Read,Write"), log);
    assertTrue(log.contains("--max-turns=7"), log);
  }

  @Test
  void eachAgentProcessHasAHomeOfItsOwnUnderTheScratchDirectoryRemovedAfterwards()
      throws Exception {
    CliAgentBackend claude =
        backend(Backend.CLAUDE_CODE, "claude", null, CliOptions.NONE.withScratchDir(scratch));
    claude.call(StepRequests.of(workspace, "1"));
    claude.call(StepRequests.of(workspace, "2"));

    List<String> homes =
        Files.readAllLines(workspace.resolve(".fake-cli.log")).stream()
            .map(line -> line.replaceAll(".* home=(\\S+).*", "$1"))
            .toList();
    assertEquals(2, homes.size());
    assertFalse(homes.get(0).equals(homes.get(1)), "a fresh HOME per process: " + homes);
    for (String home : homes) {
      assertTrue(Path.of(home).startsWith(scratch), home + " is under " + scratch);
      assertFalse(home.equals(System.getProperty("user.home")));
      assertFalse(Files.exists(Path.of(home)), "removed after the run: " + home);
    }
  }

  @Test
  void codexIsPricedFromThePriceTableWithItsThreadIdAsSession() throws Exception {
    CliAgentBackend codex =
        backend(
            Backend.CODEX,
            "codex",
            "gpt-5-codex",
            new CliOptions(null, null, null, "workspace-write", scratch));

    CliAgentBackend.CliRun run = codex.run(StepRequests.of(workspace, "2"), CliSession.fresh(null));

    assertEquals("Step 2 is done.", run.result().text());
    assertNotNull(run.sessionId(), "thread.started's thread_id");
    assertEquals(2000, run.result().usage().tokensIn());
    assertEquals(300, run.result().usage().tokensOut());
    assertEquals((2000 * 1.25 + 300 * 10) / 1e6, run.result().usage().costUsd(), 1e-12);
    String log = Files.readString(workspace.resolve(".fake-cli.log"));
    assertTrue(log.contains("model=gpt-5-codex sandbox=workspace-write"), log);
  }

  @Test
  void geminiCliIsPricedPerModelItReports() throws Exception {
    CliAgentBackend gemini =
        backend(Backend.GEMINI_CLI, "gemini", null, CliOptions.NONE.withScratchDir(scratch));

    AgentResult result = gemini.call(StepRequests.of(workspace, "3"));

    assertEquals("Step 3 is done.", result.text());
    assertEquals(3000 + 500, result.usage().tokensIn());
    assertEquals(400 + 100 + 50, result.usage().tokensOut(), "thoughts are output tokens");
    assertEquals(
        (3000 * 1.25 + 500 * 10 + 500 * 0.3 + 50 * 2.5) / 1e6, result.usage().costUsd(), 1e-12);
    assertEquals("gemini-2.5-pro", result.model(), "the model that did most of the work");
  }

  @Test
  void aiderAddsUpItsTokensAndCostLines() throws Exception {
    CliAgentBackend aider =
        backend(Backend.AIDER, "aider", "gpt-4.1", CliOptions.NONE.withScratchDir(scratch));

    AgentResult result = aider.call(StepRequests.of(workspace, "4"));

    assertEquals(2100 + 1500 + 1000, result.usage().tokensIn());
    assertEquals(171 + 40, result.usage().tokensOut());
    assertEquals(0.0087 + 0.0051, result.usage().costUsd(), 1e-9);
    assertEquals("gpt-4.1", result.model());
    assertTrue(result.text().contains("Step 4 is done."), result.text());
    assertFalse(result.text().contains("Tokens:"), result.text());
  }

  @Test
  void aToolThatFailsIsAFailedCallWithItsStandardError() throws Exception {
    AgentSettings settings =
        AgentSettings.cliPreset(
            "executor",
            Backend.CLAUDE_CODE,
            null,
            List.of(FakeClis.path("claude").toString(), "--fake-fail"),
            CliOptions.NONE.withScratchDir(scratch));
    CliAgentBackend claude =
        new CliAgentBackend(settings, PRICES, Map.of(), ProcessLauncher.standard());

    AgentOsException e =
        assertThrows(AgentOsException.class, () -> claude.call(StepRequests.of(workspace, "1")));
    assertEquals(ErrorCode.AGENT_FAILED, e.code());
    assertTrue(e.getMessage().contains("failed on purpose"), e.getMessage());
    try (Stream<Path> left = Files.list(scratch)) {
      assertEquals(0, left.count(), "the HOME is removed after a failure too");
    }
  }

  private CliAgentBackend backend(Backend preset, String tool, String model, CliOptions options) {
    AgentSettings settings =
        AgentSettings.cliPreset(
            "executor", preset, model, List.of(FakeClis.path(tool).toString()), options);
    return new CliAgentBackend(settings, PRICES, Map.of(), ProcessLauncher.standard());
  }
}
