package dev.agentos.executor;

import static dev.agentos.testing.FakeModelServer.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentBackends;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.ModelTools;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.tools.ToolSettings;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.nats.EventType;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.testing.FakeOpenAiServer;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor step carried out by a model through its tools: what it changed is in the workspace
 * and the step's record, its usage is every turn's, its transcript every call; a model that never
 * stops calling tools fails the step at the turn limit with the reason.
 */
class ModelExecutorStepTest {
  private static final Plan PLAN =
      Plan.of("goal", List.of(PlanStep.of("1", "Greet in hello.txt", "", null)), List.of());

  @TempDir Path workspace;
  private final FakeOpenAiServer model = new FakeOpenAiServer();

  @AfterEach
  void close() {
    model.close();
  }

  @Test
  void aModelStepListsReadsPatchesAndWritesAndItsRecordSaysSo() throws Exception {
    Files.writeString(workspace.resolve("README.md"), "# Shop\nold line\n");
    model
        .toolCalls(100, 10, call("list_files", "{}"))
        .toolCalls(200, 20, call("read_file", "{\"path\":\"README.md\"}"))
        .toolCalls(
            300,
            30,
            call(
                "apply_patch",
                "{\"patch\":\"--- a/README.md\\n+++ b/README.md\\n@@ -1,2 +1,2 @@\\n # Shop\\n"
                    + "-old line\\n+new line\\n\"}"),
            call("write_file", "{\"path\":\"hello.txt\",\"content\":\"hello\\n\"}"))
        .answer("Wrote hello.txt and updated the README.", 400, 40);
    Recording context = new Recording(cycle());

    Execution execution = executed(executor(ToolSettings.DEFAULT, 1).run(context));

    StepRecord step = execution.steps().get(0);
    assertEquals(StepStatus.COMPLETED, step.status());
    assertEquals("Wrote hello.txt and updated the README.", step.summary());
    assertEquals(List.of("README.md", "hello.txt"), step.changes().files());
    assertEquals("hello\n", Files.readString(workspace.resolve("hello.txt")));
    assertEquals("# Shop\nnew line\n", Files.readString(workspace.resolve("README.md")));
    assertEquals(
        List.of(new Usage(1000, 100, (1000 * 1.0 + 100 * 2.0) / 1e6, 0)),
        context.usage().stream()
            .map(u -> new Usage(u.tokensIn(), u.tokensOut(), u.costUsd(), 0))
            .toList(),
        "one call, summed over its four turns");
    String transcript = context.artifacts.get(step.artifact().artifact());
    for (String expected :
        List.of(
            "call list_files",
            "call read_file",
            "call apply_patch",
            "result: patched README.md",
            "call write_file",
            "result: created hello.txt")) {
      assertTrue(transcript.contains(expected), expected + " in\n" + transcript);
    }
  }

  @Test
  void aModelThatCallsToolsForeverFailsTheStepAtTheTurnLimitAfterItsAttempts() throws Exception {
    model.toolCallsAlways(10, 1, call("list_files", "{}"));
    Recording context = new Recording(cycle());

    Execution execution = executed(executor(ToolSettings.DEFAULT.withMaxTurns(2), 2).run(context));

    StepRecord step = execution.steps().get(0);
    assertEquals(StepStatus.FAILED, step.status());
    assertEquals(2, step.attempts(), "retried once, as the step policy says");
    assertTrue(step.summary().contains("took 2 turns without a final answer"), step.summary());
    assertTrue(step.summary().contains("agentos.agents.executor.tools.max-turns"), step.summary());
    assertEquals(4, model.requests().size());
    assertEquals(
        40, context.usage().stream().mapToLong(Usage::tokensIn).sum(), "failed turns count too");
    assertTrue(
        context.artifacts.keySet().stream().anyMatch(name -> name.contains("attempt-1")),
        "the first attempt's transcript is kept: " + context.artifacts.keySet());
    assertTrue(
        context.artifacts.get(step.artifact().artifact()).contains("stopped: "),
        "the last attempt's transcript says why it stopped");
  }

  @Test
  void aToolLoopThatCrossesTheCycleBudgetMidStepStopsWithTheBudgetsReasonAndItsUsageRecorded() {
    model.toolCallsAlways(300, 10, call("list_files", "{}"));
    Recording context =
        new Recording(
            cycle().toBuilder()
                .options(CycleOptions.defaults().withBudget(new Budget(500L, null, null)))
                .build());

    AgentOsException stopped =
        assertThrows(AgentOsException.class, () -> executor(ToolSettings.DEFAULT, 2).run(context));

    assertEquals(ErrorCode.BUDGET_EXHAUSTED, stopped.code());
    assertTrue(stopped.getMessage().contains("token budget exhausted"), stopped.getMessage());
    assertEquals(2, model.requests().size(), "stopped at the turn that crossed 500 tokens");
    assertEquals(
        620,
        context.usage().stream().mapToLong(Usage::tokens).sum(),
        "the turns it took are recorded");
    assertEquals(
        StepStatus.RUNNING,
        context.state().currentIteration().executionOrEmpty().step("1").orElseThrow().status(),
        "not the step's failure: the cycle pauses or fails as its budget policy says");
  }

  @Test
  void theAttemptAfterAnInterruptedOneIsToldTheInterruptedAttemptsLastOutput() throws Exception {
    model.answer("Finished what the last attempt began.", 100, 10);
    StepRecord interrupted =
        StepRecord.started("1", 1, java.time.Instant.now())
            .withLastOutput("call write_file {\"path\":\"half-done.txt\"}\nresult: created");
    CycleState state = cycle();
    state =
        state.withCurrentIteration(
            state
                .currentIteration()
                .withExecution(state.currentIteration().executionOrEmpty().with(interrupted)));
    Recording context = new Recording(state);

    StepRecord step = executed(executor(ToolSettings.DEFAULT, 1).run(context)).steps().get(0);

    assertEquals(StepStatus.COMPLETED, step.status());
    assertEquals(2, step.attempts());
    assertNull(step.lastOutput(), "a finished step drops it");
    String prompt = model.requests().get(0).body();
    assertTrue(prompt.contains("interrupted attempt's last output"), prompt);
    assertTrue(prompt.contains("half-done.txt"), prompt);
  }

  private ExecutorPhase executor(ToolSettings tools, int stepAttempts) {
    AgentBackend agent =
        AgentBackends.create(
            AgentSettings.chat(
                "executor", AgentSettings.Backend.OPENAI, "m", model.baseUrl(), "sk-test"),
            new PriceTable(Map.of("m", new PriceTable.Price(1, 2))),
            List.of(),
            new ModelTools(tools, "agentos.agents.executor.tools"));
    RoleAgent role =
        new RoleAgent(
            Phase.EXECUTE,
            state -> Optional.of(agent),
            project -> Knowledge.NONE,
            Duration.ofSeconds(20),
            RoleAgent.DEFAULT_MAX_PROMPT_CHARS);
    return new ExecutorPhase(role, stepAttempts, new SpecTaskBoxes(), Clock.systemUTC());
  }

  private CycleState cycle() {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .goal("Greet the user")
        .workspace(Workspace.atPath(workspace.toString()))
        .iterations(List.of(Iteration.first().withPlan(PLAN).withExecution(Execution.empty())))
        .build();
  }

  private static Execution executed(PhaseOutcome outcome) {
    return ((PhaseOutcome.Executed) outcome).execution();
  }

  /** A detached context that keeps the artifacts' text. */
  private final class Recording implements PhaseContext {
    final Map<String, String> artifacts = new LinkedHashMap<>();
    private final DetachedPhaseContext inner;

    Recording(CycleState state) {
      inner = new DetachedPhaseContext(state, workspace);
    }

    List<Usage> usage() {
      return inner.usage();
    }

    @Override
    public CycleState state() {
      return inner.state();
    }

    @Override
    public Path workspace() {
      return inner.workspace();
    }

    @Override
    public int attempt() {
      return inner.attempt();
    }

    @Override
    public boolean cancelled() {
      return inner.cancelled();
    }

    @Override
    public CycleState checkpoint(UnaryOperator<CycleState> change) {
      return inner.checkpoint(change);
    }

    @Override
    public void recordUsage(Usage usage, String model) {
      inner.recordUsage(usage, model);
    }

    @Override
    public Usage uncommittedUsage() {
      return inner.uncommittedUsage();
    }

    @Override
    public synchronized ArtifactRef storeArtifact(String name, String content) {
      artifacts.put(name, content);
      return inner.storeArtifact(name, content);
    }

    @Override
    public void event(EventType type, String message, JsonNode detail) {
      inner.event(type, message, detail);
    }
  }
}
