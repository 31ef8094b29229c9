package dev.agentos.planner;

import static dev.agentos.testing.FakeModelServer.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentBackends;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.ModelTools;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.tools.ToolSettings;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Workspace;
import dev.agentos.testing.FakeAnthropicServer;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A planner model reads the workspace through its read-only tools before it plans a goal. */
class ModelGoalPlanTest {
  @TempDir Path workspace;
  private final FakeAnthropicServer model = new FakeAnthropicServer();

  @AfterEach
  void close() {
    model.close();
  }

  @Test
  void aGoalIsPlannedAfterThePlannerReadTheWorkspaceThroughItsTools() throws Exception {
    Files.createDirectories(workspace.resolve("src"));
    Files.writeString(workspace.resolve("src/theme.css"), "body { color: black; }\n");
    model
        .toolCalls(100, 10, call("list_files", "{}"))
        .toolCalls(200, 10, call("read_file", "{\"path\":\"src/theme.css\"}"))
        .answer(
            "[{\"title\":\"Add dark colours to src/theme.css\",\"detail\":\"a dark media query\"}]",
            300,
            30);
    DetachedPhaseContext context =
        new DetachedPhaseContext(
            new CycleState.Builder()
                .cycleId("c-1")
                .project("shop")
                .goal("add a dark mode")
                .workspace(Workspace.atPath(workspace.toString()))
                .iterations(List.of(Iteration.first()))
                .build(),
            workspace);

    PhaseOutcome outcome = planner().run(context);

    Plan plan = ((PhaseOutcome.Planned) outcome).plan();
    assertEquals(
        List.of("Add dark colours to src/theme.css"),
        plan.steps().stream().map(PlanStep::title).toList());
    assertEquals(3, model.requests().size());
    String offered = model.requests().get(0).body();
    assertTrue(offered.contains("\"read_file\""), offered);
    assertFalse(offered.contains("\"write_file\""), "the planner's tools are read-only");
    String third = model.requests().get(2).body();
    assertTrue(third.contains("body { color: black; }"), "it read the file: " + third);
    assertEquals(600, context.usage().get(0).tokensIn(), "the three turns' tokens");
  }

  private PlannerPhase planner() {
    AgentBackend agent =
        AgentBackends.create(
            AgentSettings.chat(
                "planner", AgentSettings.Backend.ANTHROPIC, "m", model.baseUrl(), "sk-test"),
            PriceTable.EMPTY,
            List.of(),
            new ModelTools(ToolSettings.DEFAULT, "agentos.agents.planner.tools"));
    return new PlannerPhase(
        new RoleAgent(
            Phase.PLAN,
            state -> Optional.of(agent),
            project -> Knowledge.NONE,
            Duration.ofSeconds(20),
            RoleAgent.DEFAULT_MAX_PROMPT_CHARS));
  }
}
