package dev.agentos.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented output forms each preset reads, including the ones the fakes do not print. */
class CliOutputParsingTest {
  @Test
  void claudeResultMarkedAsErrorIsAFailureWithItsSubtype() {
    CliReport report =
        new ClaudeCodePreset()
            .parse(
                "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s1\",\"model\":\"m\"}\n"
                    + "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,"
                    + "\"num_turns\":3,\"session_id\":\"s1\",\"total_cost_usd\":0.5,"
                    + "\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}\n");

    assertEquals("s1", report.sessionId());
    assertTrue(report.error().contains("error_max_turns"), report.error());
    assertEquals(0.5, report.costUsd());
  }

  @Test
  void claudeWithoutAResultLineEndedEarly() {
    CliReport report = new ClaudeCodePreset().parse("not json\n{\"type\":\"system\"}\n");
    assertTrue(report.error().contains("no result line"), report.error());
  }

  @Test
  void codexEarlierItemTypeFieldAndSummedTurns() {
    CliReport report =
        new CodexPreset()
            .parse(
                "{\"type\":\"thread.started\",\"thread_id\":\"0199a213-81c0-7800-8aa1-bbab2a035a53\"}\n"
                    + "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\","
                    + "\"item_type\":\"assistant_message\",\"text\":\"Done.\"}}\n"
                    + "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":24763,"
                    + "\"cached_input_tokens\":24448,\"output_tokens\":122}}\n"
                    + "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":100,"
                    + "\"cached_input_tokens\":0,\"output_tokens\":10}}\n");

    assertEquals("Done.", report.text());
    assertEquals("0199a213-81c0-7800-8aa1-bbab2a035a53", report.sessionId());
    assertEquals(24863, report.tokensIn(), "cached input tokens are part of input_tokens");
    assertEquals(132, report.tokensOut());
    assertNull(report.costUsd(), "Codex reports no cost");
    assertNull(report.error());
  }

  @Test
  void codexFailedTurnWithoutAnAnswerIsAFailure() {
    CliReport report =
        new CodexPreset()
            .parse("{\"type\":\"turn.failed\",\"error\":{\"message\":\"rate limited\"}}\n");
    assertTrue(report.error().contains("rate limited"), report.error());
  }

  @Test
  void geminiErrorObjectIsAFailure() {
    CliReport report =
        new GeminiCliPreset()
            .parse(
                "Loaded cached credentials.\n{\"response\":null,\"error\":{\"type\":\"ApiError\","
                    + "\"message\":\"quota exceeded\",\"code\":429}}");
    assertTrue(report.error().contains("quota exceeded"), report.error());
  }

  @Test
  void aiderMainModelLineAndMillionsOfTokens() {
    CliReport report =
        new AiderPreset()
            .parse(
                "Main model: anthropic/claude-sonnet-4-5 with diff edit format, infinite output\n"
                    + "Tokens: 1.2M sent, 3.5k cache hit, 12k received. Cost: $4.10 message,"
                    + " $4.10 session.\n");
    assertEquals("anthropic/claude-sonnet-4-5", report.mainModel());
    assertEquals(1_203_500, report.tokensIn());
    assertEquals(12_000, report.tokensOut());
    assertEquals(4.10, report.costUsd(), 1e-9);
  }

  @Test
  void claudeArgumentsFixOrResumeTheSessionAndCarryTheProfileOptions() {
    CliOptions options = new CliOptions("plan", List.of("Read", "Bash(git diff:*)"), 5, null, null);
    assertEquals(
        List.of(
            "-p",
            "--output-format",
            "stream-json",
            "--verbose",
            "--session-id",
            "id-1",
            "--model",
            "opus",
            "--permission-mode",
            "plan",
            "--allowedTools",
            "Read,Bash(git diff:*)",
            "--max-turns",
            "5"),
        new ClaudeCodePreset().arguments(options, "opus", CliSession.fresh("id-1"), null));
    assertEquals(
        List.of("-p", "--output-format", "stream-json", "--verbose", "--resume", "id-1"),
        new ClaudeCodePreset().arguments(CliOptions.NONE, null, CliSession.resuming("id-1"), null));
    assertEquals(
        List.of("exec", "--json", "--skip-git-repo-check", "resume", "t-1", "-"),
        new CodexPreset().arguments(CliOptions.NONE, null, CliSession.resuming("t-1"), null));
  }
}
