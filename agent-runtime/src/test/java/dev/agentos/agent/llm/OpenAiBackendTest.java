package dev.agentos.agent.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.FakeModelServer;
import dev.agentos.testing.FakeModelServer.RecordedRequest;
import dev.agentos.testing.FakeOpenAiServer;
import org.junit.jupiter.api.Test;

class OpenAiBackendTest extends ChatBackendContract {
  @Override
  FakeModelServer newServer() {
    return new FakeOpenAiServer();
  }

  @Override
  Backend backend() {
    return Backend.OPENAI;
  }

  @Override
  String expectedPath() {
    return "/v1/chat/completions";
  }

  @Override
  void assertAuthenticatedWith(RecordedRequest request, String key) {
    assertEquals("Bearer " + key, request.header("Authorization"));
  }

  @Test
  void callsALocalCompatibleServerWithoutAKey() {
    server.answer("local answer", 7, 3);

    String text = backend(null).call(request("hi")).text();

    assertEquals("local answer", text);
    assertNull(server.lastRequest().header("Authorization"));
  }

  @Test
  void refusalWithoutAKeySaysToSetOne() {
    server.fail(401, "missing key");

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(null).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().contains("sent no API key"), failure.getMessage());
    assertTrue(failure.getMessage().contains("set AGENTOS_AGENTS_EXECUTOR_API_KEY"));
  }

  @Test
  void unknownModelOrPathPointsAtModelAndBaseUrl() {
    server.fail(404, "The model `model-under-test` does not exist");

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(KEY).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(
        failure.getMessage().contains("HTTP 404 (The model `model-under-test` does not exist)"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("agentos.agents.executor.model"));
    assertTrue(failure.getMessage().contains("usually ends in /v1"));
  }

  @Test
  void sendsMaxTokensAndTemperatureToACompatibleServer() {
    server.answer("ok", 1, 1);

    new ChatModelBackend(settings(KEY).withMaxTokens(321).withTemperature(0.2), PRICES)
        .call(request("hi"));

    String body = server.lastRequest().body().replaceAll("\\s+", "");
    assertTrue(body.contains("\"max_tokens\":321"), body);
    assertTrue(body.contains("\"temperature\":0.2"), body);
  }
}
