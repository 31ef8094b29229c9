package dev.agentos.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.StepCall;
import dev.agentos.agent.StepRequests;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.AgentSession;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Workspace;
import dev.agentos.worker.DetachedPhaseContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second attempt of an interrupted step whose agent's session cannot be resumed: a tool that
 * has no resume by id, or a session that was never saved, starts fresh, and the step's notes say
 * which and why (a resumed session is CliAgentsIT's, across a SIGKILLed executor).
 */
class StepSessionIT {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path workspace;
  @TempDir Path scratch;

  @Test
  void aToolWithoutResumeStartsTheInterruptedStepFreshAndTheStepSaysSo() throws Exception {
    StepRecord step =
        secondAttempt(new AgentSession("gemini-cli", null, null, null), Backend.GEMINI_CLI);

    assertNoted(
        step,
        "the step was interrupted; gemini-cli cannot resume its session, so the agent started"
            + " fresh with the step's checkpoint notes");
    assertEquals(List.of("step 1 done by gemini"), Files.readAllLines(stepFile()));
    assertEquals(1, Files.readAllLines(workspace.resolve(".fake-cli.log")).size());
  }

  @Test
  void aSessionThatWasNeverSavedIsNotResumedAndTheAgentGetsANewOne() throws Exception {
    String lost = "0b7e5a10-0000-4000-8000-00000000c1a0";
    StepRecord step =
        secondAttempt(new AgentSession("claude-code", lost, null, null), Backend.CLAUDE_CODE);

    assertNoted(
        step,
        "the step was interrupted before the agent's session was saved; the agent started fresh"
            + " with the step's checkpoint notes");
    String run = Files.readAllLines(workspace.resolve(".fake-cli.log")).get(0);
    assertTrue(run.contains(" resume=no "), run);
    assertNotEquals(lost, step.agentSession().id(), "a new session: " + run);
    assertTrue(run.contains("session=" + step.agentSession().id() + " "), run);
  }

  /**
   * Runs step 1's second attempt with {@code preset}'s fake tool, after a first attempt that left
   * {@code first} as its agent's session; the step's record after the run.
   */
  private StepRecord secondAttempt(AgentSession first, Backend preset) {
    DetachedPhaseContext context = interrupted(first);
    String tool = preset == Backend.GEMINI_CLI ? "gemini" : "claude";
    StepSession.call(context, backend(preset, tool), StepRequests.of(workspace, "1"), call());
    return context.state().currentIteration().executionOrEmpty().step("1").orElseThrow();
  }

  private static void assertNoted(StepRecord step, String note) {
    assertTrue(step.notes().contains(note), String.valueOf(step.notes()));
  }

  /** A cycle whose step 1 runs its second attempt after the first was interrupted. */
  private DetachedPhaseContext interrupted(AgentSession first) {
    StepRecord running = StepRecord.started("1", 2, T0).withAgentSession(first);
    Plan plan = Plan.of("tasks.md", List.of(PlanStep.of("1", "1. Cart", "", "1")), List.of());
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .workspace(Workspace.atPath(workspace.toString()))
            .iterations(
                List.of(
                    Iteration.first()
                        .withPlan(plan)
                        .withExecution(Execution.empty().with(running))))
            .build();
    return new DetachedPhaseContext(state, workspace);
  }

  private Path stepFile() {
    return workspace.resolve("work/step-1.txt");
  }

  private CliAgentBackend backend(Backend preset, String tool) {
    AgentSettings settings =
        AgentSettings.cliPreset(
            "executor",
            preset,
            null,
            List.of(FakeClis.path(tool).toString()),
            CliOptions.NONE.withScratchDir(scratch));
    return new CliAgentBackend(settings, PriceTable.EMPTY, Map.of(), ProcessLauncher.standard());
  }

  private static StepCall call() {
    return new StepCall("1", null, null, false);
  }
}
