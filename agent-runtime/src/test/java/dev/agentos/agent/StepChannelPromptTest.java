package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.agent.channel.AgentChannel;
import dev.agentos.state.CycleState;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.testing.ScriptedAgent;
import dev.agentos.worker.DetachedPhaseContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's agent process learns from its prompt how to ask a person through its channel: the
 * ask_person tool is there only with MCP, and a plain command has nothing else to go on.
 */
class StepChannelPromptTest {
  @TempDir Path workspace;
  @TempDir Path scratch;

  @Test
  void anAgentProcessIsToldWhereToWriteItsQuestionAndItsQuestionIsRead() throws Exception {
    // A command agent that does what its prompt says: it names the file, and the agent writes it.
    String script =
        "prompt=$(cat); case \"$prompt\" in *'question.json in the directory named by the"
            + " environment variable AGENTOS_CHANNEL'*) printf '%s' '{\"question\":\"EUR or"
            + " USD?\"}' > \"$AGENTOS_CHANNEL/question.json\"; echo asked ;; *) echo not told"
            + " ;; esac";
    CommandBackend agent =
        new CommandBackend(List.of("sh", "-c", script), PromptMode.STDIN, Map.of());
    try (AgentChannel channel = AgentChannel.create(scratch)) {
      AgentResult result =
          AgentCalls.callForStep(
              context(),
              agent,
              StepRequests.of(workspace, "1"),
              new StepCall("1", null, channel, false));

      assertEquals("asked", result.text().strip());
      assertEquals("EUR or USD?", channel.read().question().orElseThrow().question());
    }
  }

  @Test
  void aModelAgentWhichRunsInTheServiceGetsThePromptAsItWas() {
    ScriptedAgent model = ScriptedAgent.always(Usage.ZERO, "done");
    try (AgentChannel channel = AgentChannel.create(scratch)) {
      AgentCalls.callForStep(
          context(),
          model,
          StepRequests.of(workspace, "1"),
          new StepCall("1", null, channel, false));
    }
    assertEquals("Carry out step 1.", model.requests().get(0).prompt());
  }

  private DetachedPhaseContext context() {
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .workspace(Workspace.atPath(workspace.toString()))
            .build();
    return new DetachedPhaseContext(state, workspace);
  }
}
