package dev.agentos.agent.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentBackends;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.agent.PriceTable;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.FakeModelServer;
import dev.agentos.testing.FakeModelServer.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every chat backend does, run against each backend's fake server by a subclass. */
abstract class ChatBackendContract {
  static final String KEY = "sk-test-0123456789abcdefSECRET";
  static final String MODEL = "model-under-test";
  static final PriceTable PRICES = new PriceTable(Map.of(MODEL, new PriceTable.Price(3.0, 15.0)));

  final FakeModelServer server = newServer();

  abstract FakeModelServer newServer();

  abstract Backend backend();

  abstract String expectedPath();

  /** Asserts the request carried {@code key} the way this API expects it. */
  abstract void assertAuthenticatedWith(RecordedRequest request, String key);

  @AfterEach
  void closeServer() {
    server.close();
  }

  AgentSettings settings(String key) {
    return AgentSettings.chat("executor", backend(), MODEL, server.baseUrl(), key);
  }

  AgentBackend backend(String key) {
    return AgentBackends.create(settings(key), PRICES);
  }

  static AgentRequest request(String prompt, Duration timeout) {
    return new AgentRequest(
        "executor", prompt, Path.of("."), timeout, Map.of(AgentRequest.CYCLE_ID, "c-1"));
  }

  static AgentRequest request(String prompt) {
    return request(prompt, Duration.ofSeconds(10));
  }

  @Test
  void returnsTheAnswerWithReportedTokensAndCostFromThePriceTable() {
    server.answer("Plan:\n1. write \"the\" test", 1200, 300);

    AgentResult result = backend(KEY).call(request("plan the cart feature"));

    assertEquals("Plan:\n1. write \"the\" test", result.text());
    assertEquals(0, result.exitStatus());
    assertEquals(MODEL, result.model());
    assertEquals(1200, result.usage().tokensIn());
    assertEquals(300, result.usage().tokensOut());
    assertEquals(1200 * 3.0 / 1e6 + 300 * 15.0 / 1e6, result.usage().costUsd(), 1e-12);
    assertTrue(result.usage().wallSeconds() > 0);
    RecordedRequest sent = server.lastRequest();
    assertEquals("POST", sent.method());
    assertEquals(expectedPath(), sent.path());
    assertAuthenticatedWith(sent, KEY);
    assertTrue(sent.body().contains("plan the cart feature"), sent.body());
    assertTrue(sent.body().contains("\"" + MODEL + "\""), sent.body());
  }

  @Test
  void unknownModelCostsNothingAndTheDescriptionSaysSo() {
    server.answer("ok", 10, 5);
    AgentBackend backend = AgentBackends.create(settings(KEY), PriceTable.EMPTY);

    AgentResult result = backend.call(request("hi"));

    assertEquals(0.0, result.usage().costUsd());
    assertEquals(10, result.usage().tokensIn());
    assertTrue(backend.describe().contains("no price for " + MODEL), backend.describe());
  }

  @Test
  void describesBackendModelAndUrlWithoutTheKey() {
    AgentBackend backend = backend(KEY);

    String description = backend.describe();

    assertTrue(description.startsWith(backend().configName() + " " + MODEL + " at "), description);
    assertTrue(description.contains(trimSlash(server.baseUrl())), description);
    assertTrue(description.contains("$3.00/$15.00 per 1M tokens"), description);
    assertFalse(description.contains(KEY));
    assertFalse(backend.toString().contains(KEY));
    assertFalse(settings(KEY).toString().contains(KEY));
  }

  @Test
  void refusedKeyIsAgentFailedNamingTheVariableToCheck() {
    // Real servers echo (part of) the refused key; it must not reach the message or the cause.
    server.fail(401, "Incorrect API key provided: " + KEY);

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(KEY).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().contains("API key for role executor was refused by"));
    assertTrue(failure.getMessage().contains(trimSlash(server.baseUrl())), failure.getMessage());
    assertTrue(failure.getMessage().contains("AGENTOS_AGENTS_EXECUTOR_API_KEY"));
    assertKeyAbsent(failure);
    assertEquals(1, server.requests().size(), "no retries inside the backend");
  }

  @Test
  void serverErrorIsRetryableAgentFailedQuotingTheServer() {
    server.fail(500, "upstream exploded");

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(KEY).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.code().retryable());
    assertTrue(
        failure.getMessage().contains("answered HTTP 500 (upstream exploded)"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("can be retried"), failure.getMessage());
    assertKeyAbsent(failure);
    assertEquals(1, server.requests().size(), "no retries inside the backend");
  }

  @Test
  void serverSlowerThanTheTimeoutIsAgentTimeout() {
    server.hang();
    AgentBackend backend = backend(KEY);

    AgentOsException failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(
                    AgentOsException.class,
                    () -> backend.call(request("hi", Duration.ofMillis(300)))));

    assertEquals(ErrorCode.AGENT_TIMEOUT, failure.code());
    assertTrue(failure.getMessage().contains("within PT0.3S"), failure.getMessage());
    assertTrue(failure.getMessage().contains("agentos.agents.executor.timeout"));
    assertKeyAbsent(failure);
  }

  @Test
  void unreachableServerIsAgentFailedNamingTheBaseUrlSetting() {
    AgentBackend backend = backend(KEY);
    server.close();

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend.call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().startsWith("cannot reach "), failure.getMessage());
    assertTrue(failure.getMessage().contains("agentos.agents.executor.base-url"));
    assertKeyAbsent(failure);
  }

  @Test
  void emptyPromptIsAnInvalidRequestAndSendsNothing() {
    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(KEY).call(request(" ")));

    assertEquals(ErrorCode.INVALID_REQUEST, failure.code());
    assertTrue(server.requests().isEmpty());
  }

  /** The key is in no message, no cause and no line of the printed stack trace. */
  static void assertKeyAbsent(Throwable failure) {
    StringWriter printed = new StringWriter();
    failure.printStackTrace(new PrintWriter(printed));
    assertFalse(printed.toString().contains(KEY), printed.toString());
    assertFalse(printed.toString().contains("0123456789abcdef"), printed.toString());
  }

  static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
