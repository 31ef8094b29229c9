package dev.agentos.executor;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.GitWorkspace;
import dev.agentos.agent.RoleAgent;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.instruction.Instruction;
import dev.agentos.nats.Events;
import dev.agentos.prompt.PromptSection;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Budgets;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EXECUTE: runs the plan's steps one by one through the agent. Each step's outcome is checkpointed
 * before the next starts, so a redelivered message resumes at the first unfinished step and a
 * completed step is never run again. A step that was running when its worker died runs again, and
 * the agent is told it is a retry. A step the agent fails is retried with the failure fed back;
 * after the last attempt it is recorded FAILED and the phase moves on: Review decides what that
 * means.
 */
public final class ExecutorPhase implements PhaseLogic {
  /** Longer agent output than this is kept whole in the artifact store; state keeps the tail. */
  static final int SUMMARY_CHARS = 1000;

  static final String DEFAULT_INTRO =
      "You are the EXECUTE agent of an Agent OS PEER cycle, working in the repository in your"
          + " current directory. Carry out exactly one step of the plan below, then stop.";

  private final RoleAgent role;
  private final int stepAttempts;
  private final TaskBoxes taskBoxes;
  private final Clock clock;
  private final PromptTemplate template = PromptTemplate.load("execute-step");

  public ExecutorPhase(RoleAgent role, int stepAttempts, TaskBoxes taskBoxes, Clock clock) {
    this.role = role;
    this.stepAttempts = stepAttempts;
    this.taskBoxes = taskBoxes;
    this.clock = clock;
  }

  @Override
  public Phase phase() {
    return Phase.EXECUTE;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    Plan plan = context.state().currentIteration().plan();
    if (plan == null) {
      return new PhaseOutcome.Failed(ErrorCode.INTERNAL, "EXECUTE found no plan to carry out");
    }
    Instruction instruction = role.instruction(context);
    StepRunner runner =
        instruction.action() == Instruction.Action.GIT_COMMIT
            ? (ctx, step, attempt, retryNote) ->
                new AgentResult(
                    GitCommitAction.run(ctx.workspace(), ctx.state()), 0, Usage.ZERO, "git")
            : agentRunner(role.requireAgent(context.state()), instruction);
    List<PlanStep> todo =
        plan.steps().stream().filter(step -> !done(context.state(), step)).toList();
    StepRecord started = null; // the step to run next, already written RUNNING
    for (int i = 0; i < todo.size(); i++) {
      PlanStep step = todo.get(i);
      if (started == null) {
        requireMayStart(context, step);
        started = start(context, step);
        context.checkpointSteps(started);
        context.event(Events.STEP_STARTED, step.id() + " " + step.title(), null);
      }
      StepRecord finished = runStep(context, runner, step, started);
      started =
          i + 1 < todo.size() ? recordAndStartNext(context, step, finished, todo.get(i + 1)) : null;
      if (started == null) {
        context.checkpointSteps(finished);
      }
      context.event(Events.STEP_FINISHED, finishedNote(step, finished), null);
      if (started != null) {
        PlanStep next = todo.get(i + 1);
        context.event(Events.STEP_STARTED, next.id() + " " + next.title(), null);
      }
    }
    return new PhaseOutcome.Executed(context.state().currentIteration().executionOrEmpty());
  }

  private static boolean done(CycleState state, PlanStep step) {
    Optional<StepRecord> prior = state.currentIteration().executionOrEmpty().step(step.id());
    return prior.isPresent() && prior.get().status().isDone();
  }

  private static void requireMayStart(PhaseContext context, PlanStep step) {
    if (context.cancelled()) {
      throw new AgentOsException(ErrorCode.CANCELLED, "cancelled before step " + step.id());
    }
    // Before the step is marked RUNNING, so that a paused cycle resumes it as a first try.
    Budgets.require(context.state(), context.uncommittedUsage());
  }

  /** The RUNNING record of a step's next attempt (the first, or a retry after a dead worker). */
  private StepRecord start(PhaseContext context, PlanStep step) {
    Optional<StepRecord> prior =
        context.state().currentIteration().executionOrEmpty().step(step.id());
    return StepRecord.started(
        step.id(), prior.map(p -> p.attempts() + 1).orElse(1), clock.instant());
  }

  /**
   * Writes a finished step and, when the next may start, the next one RUNNING in the same
   * checkpoint: one KV write instead of two, and the finished step is durable before the next agent
   * starts either way. Returns the next step's RUNNING record; when the next may not start
   * (cancelled, budget spent) it writes the finished step alone and throws why.
   */
  private StepRecord recordAndStartNext(
      PhaseContext context, PlanStep step, StepRecord finished, PlanStep next) {
    try {
      requireMayStart(context, next);
    } catch (AgentOsException e) {
      context.checkpointSteps(finished);
      context.event(Events.STEP_FINISHED, finishedNote(step, finished), null);
      throw e;
    }
    StepRecord started = start(context, next);
    context.checkpointSteps(finished, started);
    return started;
  }

  /** Carries out one attempt of a step: the agent, or Agent OS's own action. */
  @FunctionalInterface
  private interface StepRunner {
    AgentResult run(PhaseContext context, PlanStep step, int attempt, String retryNote);
  }

  private StepRunner agentRunner(AgentBackend agent, Instruction instruction) {
    return (context, step, attempt, retryNote) ->
        AgentCalls.call(context, agent, request(context, instruction, step, attempt, retryNote));
  }

  /**
   * Runs a step whose first attempt is already recorded RUNNING, retrying agent failures with the
   * failure fed back, and returns its finished record for the caller to write.
   */
  private StepRecord runStep(
      PhaseContext context, StepRunner runner, PlanStep step, StepRecord firstAttempt) {
    StepRecord started = firstAttempt;
    int attempt = started.attempts();
    String retryNote =
        attempt == 1
            ? ""
            : "This is a retry: an earlier attempt of this step was interrupted before it"
                + " finished. Check what is already done before changing anything.\n";
    int failures = 0;
    while (true) {
      try {
        AgentResult result = runner.run(context, step, attempt, retryNote);
        taskBoxes.tick(context.workspace(), context.state(), step);
        return started.finished(
            StepStatus.COMPLETED,
            clock.instant(),
            summary(result.text()),
            transcript(context, step, attempt, result.text()),
            GitWorkspace.head(context.workspace()).orElse(null));
      } catch (AgentOsException e) {
        if (e.code() != ErrorCode.AGENT_FAILED && e.code() != ErrorCode.AGENT_TIMEOUT) {
          throw e; // the agent could not run at all: the whole phase is retried later
        }
        failures++;
        if (failures >= stepAttempts) {
          taskBoxes.markBlocked(context.workspace(), context.state(), step, e.getMessage());
          return started.finished(
              StepStatus.FAILED, clock.instant(), summary(e.getMessage()), null, null);
        }
        retryNote =
            "This is attempt "
                + (attempt + 1)
                + ". The previous attempt failed with:\n"
                + summary(e.getMessage())
                + "\nFix the cause before you continue.\n";
        attempt++;
        started = StepRecord.started(step.id(), attempt, clock.instant());
        context.checkpointSteps(started);
        context.event(Events.STEP_STARTED, step.id() + " " + step.title(), null);
      }
    }
  }

  private static String finishedNote(PlanStep step, StepRecord finished) {
    return finished.status() == StepStatus.COMPLETED
        ? step.id() + " completed"
        : step.id() + " failed: " + finished.summary();
  }

  private AgentRequest request(
      PhaseContext context, Instruction instruction, PlanStep step, int attempt, String retryNote) {
    CycleState state = context.state();
    String detail = step.detail() == null ? "" : step.detail();
    List<PromptSection> sections =
        new ArrayList<>(role.context(context, step.title() + "\n" + detail).sections());
    sections.add(PromptSection.required("cycle_id", state.cycleId()));
    sections.add(PromptSection.required("iteration", Integer.toString(state.iteration())));
    sections.add(PromptSection.required("step_id", step.id()));
    sections.add(PromptSection.required("attempt", Integer.toString(attempt)));
    sections.add(PromptSection.required("retry_note", retryNote));
    sections.add(PromptSection.required("step_title", step.title()));
    sections.add(PromptSection.required("step_detail", detail));
    sections.add(
        PromptSection.required(
            "intro",
            Instruction.fill(
                instruction.executeIntro().orElse(DEFAULT_INTRO), state.spec(), state.goal())));
    String prompt = template.render(sections, role.maxPromptChars());
    return role.request(
        context,
        prompt,
        Map.of(AgentRequest.STEP_ID, step.id(), AgentRequest.ATTEMPT, Integer.toString(attempt)));
  }

  private static ArtifactRef transcript(
      PhaseContext context, PlanStep step, int attempt, String text) {
    if (text == null || text.length() <= SUMMARY_CHARS) {
      return null;
    }
    return context.storeArtifact(
        "iteration-"
            + context.state().iteration()
            + "/step-"
            + step.id()
            + "-attempt-"
            + attempt
            + ".txt",
        text);
  }

  static String summary(String text) {
    if (text == null) {
      return "";
    }
    String t = text.strip();
    return t.length() <= SUMMARY_CHARS ? t : "…" + t.substring(t.length() - SUMMARY_CHARS);
  }
}
