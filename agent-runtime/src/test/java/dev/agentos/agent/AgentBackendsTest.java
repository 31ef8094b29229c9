package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.agent.llm.ChatModelBackend;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentBackendsTest {
  @TempDir Path dir;

  @Test
  void buildsAChatModelBackendForEachChatBackend() {
    for (Backend backend : List.of(Backend.OPENAI, Backend.ANTHROPIC, Backend.OLLAMA)) {
      AgentBackend built =
          AgentBackends.create(
              AgentSettings.chat("planner", backend, "m", null, "sk-secret-123456"),
              PriceTable.EMPTY);

      assertInstanceOf(ChatModelBackend.class, built);
      assertTrue(built.describe().startsWith(backend.configName() + " m at "), built.describe());
    }
  }

  @Test
  void theNoopBackendAnswersAtOnceInProcessLeavingOneMarkerPerStep() throws IOException {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    AgentBackend noop =
        AgentBackends.create(
            new AgentSettings(
                "executor", Backend.NOOP, null, null, null, null, null, null, null, null),
            PriceTable.EMPTY);

    AgentResult answer =
        noop.call(
            new AgentRequest(
                "executor",
                "Carry out step 1.",
                workspace,
                null,
                Map.of(AgentRequest.STEP_ID, "1/../x", AgentRequest.ATTEMPT, "2")));

    assertEquals("noop: wrote .agentos-noop/step-1_.._x.txt", answer.text());
    assertEquals(
        "attempt 2\n", Files.readString(workspace.resolve(".agentos-noop/step-1_.._x.txt")));
    assertEquals(0, answer.usage().tokens());
    assertEquals(0.0, answer.usage().costUsd());
    assertTrue(noop.describe().startsWith("noop"), noop.describe());
    assertEquals(Backend.NOOP, Backend.parse("executor", "noop"));
  }

  @Test
  void rejectsInvalidSettingsBeforeBuildingAnything() {
    AgentOsException failure =
        assertThrows(
            AgentOsException.class,
            () ->
                AgentBackends.create(
                    AgentSettings.chat("review", Backend.OPENAI, null, null, "k"),
                    PriceTable.EMPTY));

    assertEquals(ErrorCode.INVALID_REQUEST, failure.code());
    assertEquals(
        "agentos.agents.review.backend=openai needs agentos.agents.review.model",
        failure.getMessage());
  }

  @Test
  void commandBackendGetsTheRoleAndTheConfiguredTimeoutWhenTheRequestHasNone() throws IOException {
    Path script = dir.resolve("agent.sh");
    Files.writeString(script, "#!/bin/sh\nprintf '%s' \"$AGENTOS_ROLE\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    AgentBackend backend =
        AgentBackends.create(
            AgentSettings.command("express", List.of(script.toString()), PromptMode.STDIN),
            PriceTable.EMPTY);

    AgentResult result = backend.call(new AgentRequest("express", "hi", dir, null, Map.of()));

    assertEquals("express", result.text());
    assertTrue(backend.describe().startsWith("command "), backend.describe());
  }
}
