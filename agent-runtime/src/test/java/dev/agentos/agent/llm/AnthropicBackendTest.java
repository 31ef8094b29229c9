package dev.agentos.agent.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.FakeAnthropicServer;
import dev.agentos.testing.FakeModelServer;
import dev.agentos.testing.FakeModelServer.RecordedRequest;
import org.junit.jupiter.api.Test;

class AnthropicBackendTest extends ChatBackendContract {
  @Override
  FakeModelServer newServer() {
    return new FakeAnthropicServer();
  }

  @Override
  Backend backend() {
    return Backend.ANTHROPIC;
  }

  @Override
  String expectedPath() {
    return "/v1/messages";
  }

  @Override
  void assertAuthenticatedWith(RecordedRequest request, String key) {
    assertEquals(key, request.header("x-api-key"));
    assertNotNull(request.header("anthropic-version"));
    assertNull(request.header("Authorization"));
  }

  @Test
  void baseUrlWithoutTrailingSlashStillReachesMessages() {
    server.answer("ok", 1, 1);
    String base = trimSlash(server.baseUrl());

    new ChatModelBackend(
            dev.agentos.agent.AgentSettings.chat("executor", Backend.ANTHROPIC, MODEL, base, KEY),
            PRICES)
        .call(request("hi"));

    assertEquals("/v1/messages", server.lastRequest().path());
  }

  @Test
  void partiallyEchoedKeyIsMaskedToo() {
    server.fail(403, "key sk-test-01***************CRET is not allowed to use this model");

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(KEY).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().contains("was refused"), failure.getMessage());
    assertKeyAbsent(failure);
    assertTrue(
        !failure.getCause().toString().contains("sk-test-01"), failure.getCause().toString());
  }

  @Test
  void overloadedServerIsRetryable() {
    server.fail(529, "Overloaded");

    AgentOsException failure =
        assertThrows(AgentOsException.class, () -> backend(KEY).call(request("hi")));

    assertEquals(ErrorCode.AGENT_FAILED, failure.code());
    assertTrue(failure.getMessage().contains("HTTP 529"), failure.getMessage());
    assertTrue(failure.getMessage().contains("Overloaded"), failure.getMessage());
  }
}
