package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.agent.cli.CliOptions;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  static final String KEY = "sk-proj-abcdefghijklmnop";
  static final String ROUTER = "https://openrouter.ai/api/v1";

  static AgentSettings openRouter() {
    return AgentSettings.chat("executor", Backend.OPENAI, "openai/gpt-4.1", ROUTER, KEY);
  }

  static String invalid(Runnable action) {
    AgentOsException failure = assertThrows(AgentOsException.class, action::run);
    assertEquals(ErrorCode.INVALID_REQUEST, failure.code());
    assertFalse(failure.getMessage().contains(KEY), failure.getMessage());
    return failure.getMessage();
  }

  @Test
  void chatBackendWithoutModelNamesTheMissingSetting() {
    String message =
        invalid(() -> AgentSettings.chat("review", Backend.OPENAI, null, null, KEY).validated());

    assertEquals("agentos.agents.review.backend=openai needs agentos.agents.review.model", message);
  }

  @Test
  void commandBackendWithoutCommandNamesTheMissingSetting() {
    String message = invalid(() -> AgentSettings.command("review", List.of(), null).validated());

    assertEquals(
        "agentos.agents.review.backend=command needs agentos.agents.review.command", message);
  }

  @Test
  void anthropicWithoutKeyNamesTheVariable() {
    String message =
        invalid(
            () ->
                AgentSettings.chat("review", Backend.ANTHROPIC, "claude", null, null).validated());

    assertTrue(message.contains("needs an API key"), message);
    assertTrue(message.contains("AGENTOS_AGENTS_REVIEW_API_KEY"), message);
    assertTrue(message.contains("agentos.agents.review.api-key"), message);
  }

  @Test
  void publicOpenAiNeedsAKeyButALocalCompatibleServerDoesNot() {
    invalid(() -> AgentSettings.chat("planner", Backend.OPENAI, "gpt-4.1", null, null).validated());

    AgentSettings local =
        AgentSettings.chat("planner", Backend.OPENAI, "qwen", "http://vllm:8000/v1", null);
    assertEquals(local, local.validated());
  }

  @Test
  void unknownBackendListsTheKnownOnes() {
    String message = invalid(() -> Backend.parse("review", "gemini"));

    assertEquals(
        "agentos.agents.review.backend='gemini' is not a backend;"
            + " use one of command, openai, anthropic, ollama, claude-code, codex, gemini-cli,"
            + " aider, noop",
        message);
    assertEquals(Backend.OLLAMA, Backend.parse("review", " Ollama "));
    assertEquals(Backend.CLAUDE_CODE, Backend.parse("executor", "claude-code"));
    assertEquals(Backend.GEMINI_CLI, Backend.parse("executor", "Gemini-CLI"));
  }

  @Test
  void aCliPresetNeedsNoModelOrCommandButItsOptionsMustBeValid() {
    AgentSettings claude =
        AgentSettings.cliPreset("executor", Backend.CLAUDE_CODE, null, null, CliOptions.NONE);
    assertEquals(claude, claude.validated());

    assertEquals(
        "agentos.agents.executor.sandbox='everything' is not a Codex sandbox; use read-only,"
            + " workspace-write or danger-full-access",
        invalid(
            () ->
                AgentSettings.cliPreset(
                        "executor",
                        Backend.CODEX,
                        null,
                        null,
                        new CliOptions(null, null, null, "everything", null))
                    .validated()));
    assertEquals(
        "agentos.agents.executor.max-turns=0 must be > 0",
        invalid(
            () ->
                AgentSettings.cliPreset(
                        "executor",
                        Backend.CLAUDE_CODE,
                        null,
                        null,
                        new CliOptions(null, null, 0, null, null))
                    .validated()));
    assertEquals(
        "agentos.agents.executor.permission-mode='accept edits; rm -rf' is not a permission mode;"
            + " use e.g. acceptEdits, plan or bypassPermissions",
        invalid(
            () ->
                AgentSettings.cliPreset(
                        "executor",
                        Backend.CLAUDE_CODE,
                        null,
                        null,
                        new CliOptions("accept edits; rm -rf", null, null, null, null))
                    .validated()));
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheSetting() {
    assertTrue(
        invalid(() -> openRouter().withTimeout(Duration.ZERO).validated())
            .startsWith("agentos.agents.executor.timeout="));
    assertTrue(
        invalid(() -> openRouter().withMaxTokens(0).validated())
            .startsWith("agentos.agents.executor.max-tokens="));
    assertTrue(
        invalid(() -> openRouter().withTemperature(3.0).validated())
            .startsWith("agentos.agents.executor.temperature="));
    assertTrue(
        invalid(
                () ->
                    AgentSettings.chat("executor", Backend.OLLAMA, "m", "ftp://host", null)
                        .validated())
            .startsWith("agentos.agents.executor.base-url is not an http(s) URL"));
  }

  @Test
  void toStringMasksTheKeyAndSecretsInTheUrl() {
    AgentSettings settings =
        AgentSettings.chat(
            "executor", Backend.OPENAI, "m", "https://user:pw@proxy.example/v1?token=t0p", KEY);

    String text = settings.toString();

    assertFalse(text.contains(KEY), text);
    assertFalse(text.contains("pw"), text);
    assertFalse(text.contains("t0p"), text);
    assertTrue(text.contains("apiKey=****"), text);
    assertTrue(text.contains("baseUrl=https://proxy.example/v1"), text);
  }

  @Test
  void defaultsAreFilledIn() {
    AgentSettings settings = AgentSettings.command("executor", List.of("claude", "-p"), null);

    assertEquals(PromptMode.STDIN, settings.promptMode());
    assertEquals(AgentSettings.DEFAULT_TIMEOUT, settings.timeout());
    assertEquals(
        "http://localhost:11434",
        AgentSettings.chat("executor", Backend.OLLAMA, "m", null, null).effectiveBaseUrl());
  }
}
