package dev.agentos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.GitWorkspace;
import dev.agentos.agent.RoleAgent;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.testing.ScriptedAgent;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a real git repository: a step's changes are measured with git, each step records the commit it
 * started from, and the retry of an interrupted step is told what the interrupted attempt left.
 */
class GitStepChangesIT {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Usage USAGE = new Usage(10, 5, 0, 0.1);
  private static final Plan PLAN =
      Plan.of(
          "goal",
          List.of(
              PlanStep.of("1", "Write hello.txt", "", null),
              PlanStep.of("2", "Say it is done", "", null)),
          List.of());

  @TempDir Path repo;

  @Test
  void recordsGitChangesAndTellsTheRetryWhatTheInterruptedAttemptLeft() throws Exception {
    String base = init();
    // A worker died in step 1's first attempt, after it had written half of the work.
    Files.writeString(repo.resolve("half.txt"), "half done\n");
    StepRecord interrupted = StepRecord.started("1", 1, T0.minusSeconds(60)).withBaseRef(base);
    ScriptedAgent agent =
        new ScriptedAgent(
            request -> {
              write("hello.txt", "hello\n");
              return ScriptedAgent.answer("wrote hello.txt", USAGE).apply(request);
            },
            ScriptedAgent.answer("I did step 2.", USAGE));
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-git")
            .project("shop")
            .goal("say hello")
            .workspace(Workspace.atPath(repo.toString()))
            .iterations(
                List.of(
                    Iteration.first()
                        .withPlan(PLAN)
                        .withExecution(Execution.empty().with(interrupted))))
            .build();

    PhaseOutcome outcome =
        new ExecutorPhase(
                new RoleAgent(
                    Phase.EXECUTE,
                    s -> Optional.of(agent),
                    p -> Knowledge.NONE,
                    Duration.ofSeconds(20),
                    RoleAgent.DEFAULT_MAX_PROMPT_CHARS),
                2,
                TaskBoxes.NONE,
                Clock.fixed(T0, ZoneOffset.UTC))
            .run(new DetachedPhaseContext(state, repo));

    String retry = agent.requests().get(0).prompt();
    assertTrue(
        retry.contains(
            "What the earlier attempts of this step left in the workspace (since the step"
                + " began):\n(no tracked file changed)\nnew files: half.txt\n"),
        retry);
    List<StepRecord> steps =
        assertInstanceOf(PhaseOutcome.Executed.class, outcome).execution().steps();
    assertEquals(base, steps.get(0).baseRef(), "the retry keeps the step's start");
    assertEquals(new StepChanges(1, List.of("hello.txt"), StepChanges.GIT), steps.get(0).changes());
    assertEquals(new StepChanges(0, List.of(), StepChanges.GIT), steps.get(1).changes());
    assertEquals(List.of(ExecutorPhase.NO_CHANGES_NOTE), steps.get(1).notes());
    String second = agent.requests().get(1).prompt();
    assertTrue(
        second.contains("## Changes so far in this cycle\n(no tracked file changed)\nnew files: "),
        second);
    assertTrue(second.contains("hello.txt"), second);
  }

  private String init() {
    git("init", "-q");
    write("README.md", "readme\n");
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "start");
    return GitWorkspace.head(repo).orElseThrow();
  }

  private void write(String file, String text) {
    try {
      Files.writeString(repo.resolve(file), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void git(String... args) {
    assertTrue(
        ProcessLauncher.standard().git(repo, Duration.ofSeconds(20), List.of(args)).succeeded(),
        "git " + String.join(" ", args));
  }
}
