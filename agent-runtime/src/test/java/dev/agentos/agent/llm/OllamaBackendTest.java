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
import dev.agentos.testing.FakeOllamaServer;
import org.junit.jupiter.api.Test;

class OllamaBackendTest extends ChatBackendContract {
  @Override
  FakeModelServer newServer() {
    return new FakeOllamaServer();
  }

  @Override
  Backend backend() {
    return Backend.OLLAMA;
  }

  @Override
  String expectedPath() {
    return "/api/chat";
  }

  /** Ollama has no auth; a configured key is for a proxy in front of it. */
  @Override
  void assertAuthenticatedWith(RecordedRequest request, String key) {
    assertEquals("Bearer " + key, request.header("Authorization"));
  }

  @Test
  void callsOllamaWithoutAKeyAndNotStreaming() {
    server.answer("local", 42, 8);

    var result = backend(null).call(request("hi"));

    assertEquals("local", result.text());
    assertEquals(42, result.usage().tokensIn());
    assertEquals(8, result.usage().tokensOut());
    assertNull(server.lastRequest().header("Authorization"));
    String body = server.lastRequest().body().replaceAll("\\s+", "");
    assertTrue(body.contains("\"stream\":false"), body);
  }

  @Test
  void missingModelSaysToPullIt() {
    server.fail(404, "model \"model-under-test\" not found, try pulling it first");

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(null).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().contains("ollama pull model-under-test"), failure.getMessage());
  }
}
