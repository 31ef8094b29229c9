package dev.agentos.executor;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.GitWorkspace;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.StepCall;
import dev.agentos.agent.WorkspaceSnapshot;
import dev.agentos.agent.channel.AgentChannel;
import dev.agentos.agent.channel.AgentQuestion;
import dev.agentos.agent.channel.ChannelReport;
import dev.agentos.agent.cli.CliOptions;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.agent.tools.ToolLoopFailure;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.git.StepCheckout;
import dev.agentos.instruction.Instruction;
import dev.agentos.knowledge.DecisionLog;
import dev.agentos.nats.EventType;
import dev.agentos.prompt.CycleProgress;
import dev.agentos.prompt.PromptSection;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.state.Budgets;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepGraph;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.worker.Failure;
import dev.agentos.worker.FailureDecision;
import dev.agentos.worker.FailurePolicy;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import dev.agentos.worker.StepContext;
import dev.agentos.worker.StepLogic;
import dev.agentos.worker.StepMerge;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * EXECUTE: runs the plan's steps one by one through the agent, each after the steps it waits for
 * (the plan's {@link StepGraph}); a step that waits for a step that failed is recorded SKIPPED with
 * the reason, and the steps that do not wait for it still run. Each step's outcome is checkpointed
 * before the next starts, so a redelivered message resumes at the first unfinished step and a
 * completed step is never run again. A step that was running when its worker died runs again, and
 * the agent is told it is a retry. A step the agent fails is retried with the failure fed back;
 * after the last attempt it is recorded FAILED and the phase moves on: Review decides what that
 * means.
 *
 * <p>Each agent run gets a channel ({@code AGENTOS_CHANNEL}): decisions it records there go to the
 * team's decision log, and a question it leaves there ends the phase in NEEDS_INPUT with the step
 * unfinished; the person's answer brings the phase back, and the step goes on where it stopped (the
 * agent's own session resumed) with the question and the answer in its prompt.
 */
public final class ExecutorPhase implements PhaseLogic, StepLogic {
  /** Longer agent output than this is kept whole in the artifact store; state keeps the tail. */
  static final int SUMMARY_CHARS = 1000;

  static final String DEFAULT_INTRO =
      "You are the EXECUTE agent of an Agent OS PEER cycle, working in the repository in your"
          + " current directory. Carry out exactly one step of the plan below, then stop.";

  private final RoleAgent role;
  private final int stepAttempts;
  private final TaskBoxes taskBoxes;
  private final AgentDecisions decisions;
  private final Path scratchRoot;
  private final Clock clock;
  private final Parallel parallel;
  private final PromptTemplate template = PromptTemplate.load("execute-step");

  /**
   * The note on a step that reports done and changed nothing: the state says so, Review sees it.
   */
  static final String NO_CHANGES_NOTE =
      "no files changed: the agent reported the step done, but the workspace is as it was before"
          + " the step";

  private static final String INTERRUPTED_NOTE =
      "This is a retry: an earlier attempt of this step was interrupted before it"
          + " finished. Check what is already done before changing anything.\n";

  /**
   * How a plan's steps run in parallel (a plan with depends_on, in a git workspace): {@code
   * maxParallel} steps of one cycle at once, across every replica; a step whose merge conflicts is
   * run again on the new head {@code mergeReruns} times before it fails.
   */
  public record Parallel(int maxParallel, int mergeReruns) {
    public static final Parallel DEFAULTS = new Parallel(4, 2);

    public Parallel {
      if (maxParallel < 1 || mergeReruns < 0) {
        throw new IllegalArgumentException(
            "agentos.executor.max-parallel must be at least 1 and merge-reruns at least 0, not "
                + maxParallel
                + " and "
                + mergeReruns);
      }
    }
  }

  public ExecutorPhase(RoleAgent role, int stepAttempts, TaskBoxes taskBoxes, Clock clock) {
    this(
        role,
        stepAttempts,
        taskBoxes,
        DecisionLog.NONE,
        CliOptions.scratchRoot(null),
        clock,
        Parallel.DEFAULTS);
  }

  /**
   * @param decisionLog where the decisions agents record in their channels go
   * @param scratchRoot where each agent run's channel directory is made (outside the workspace)
   * @param parallel how the steps of a plan with depends_on run side by side
   */
  public ExecutorPhase(
      RoleAgent role,
      int stepAttempts,
      TaskBoxes taskBoxes,
      DecisionLog decisionLog,
      Path scratchRoot,
      Clock clock,
      Parallel parallel) {
    this.parallel = parallel;
    this.role = role;
    this.stepAttempts = stepAttempts;
    this.taskBoxes = taskBoxes;
    this.decisions = new AgentDecisions(decisionLog, clock);
    this.scratchRoot = scratchRoot;
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
    if (ParallelSteps.fansOut(context.state())) {
      return new PhaseOutcome.FansOut(parallel.maxParallel());
    }
    Instruction instruction = role.instruction(context);
    StepRunner runner = runnerFor(instruction, context);
    // An agent's step is measured; Agent OS's own git commit says itself what it did.
    boolean measure = instruction.action() == Instruction.Action.AGENT;
    tickCompletedSteps(context, plan);
    StepGraph graph = StepGraph.of(plan);
    Ended ended = null; // the step that ended last, not written yet
    StepRecord notes = null; // what the aftermath of the step before it added, not written yet
    for (PlanStep step : unfinished(context.state(), graph.ordered())) {
      Execution sofar = context.state().currentIteration().executionOrEmpty();
      if (ended != null) {
        sofar = sofar.with(ended.record());
      }
      if (graph.readiness(step.id(), sofar) == StepGraph.Readiness.BLOCKED) {
        notes = write(context, ended, notes, Start.NONE);
        ended = new Ended(step, committed(context, step, skipped(step, graph, sofar)), null);
        continue;
      }
      Optional<AgentOsException> refusal = refusalToStart(context, step);
      if (refusal.isPresent()) {
        finish(context, ended, notes);
        throw refusal.get();
      }
      Optional<StepRecord> before =
          context.state().currentIteration().executionOrEmpty().step(step.id());
      // The step's last run ended by asking a person, who has answered since.
      boolean afterAnswer = before.map(StepRecord::answeredSinceStart).orElse(false);
      StepRecord running = start(context, step);
      notes = write(context, ended, notes, new Start(running, before));
      context.event(EventType.STEP_STARTED, step.id() + " " + step.title(), null);
      ended = runStep(context, runner, step, running, measure, afterAnswer, "");
      if (ended.asked() != null) {
        finish(context, null, notes);
        return waitForAnswer(context, ended);
      }
    }
    finish(context, ended, notes);
    return new PhaseOutcome.Executed(context.state().currentIteration().executionOrEmpty());
  }

  @Override
  public int maxParallel() {
    return parallel.maxParallel();
  }

  /**
   * One step of a plan whose steps run in parallel, claimed on its own: the agent works in the
   * step's worktree, and its work, one commit, reaches the cycle branch in one push (a
   * fast-forward, or a merge), with the step's box ticked there. A merge that conflicts with what
   * other steps merged meanwhile runs the step again on the new head, with the conflict as
   * feedback, up to {@code mergeReruns} times; then the step fails for Review. A step whose agent
   * asks a person fails too: one step cannot hold a cycle whose other steps run on.
   */
  @Override
  public StepRecord runStep(StepContext context) {
    Plan plan = context.state().currentIteration().plan();
    PlanStep step =
        plan.steps().stream()
            .filter(s -> s.id().equals(context.stepId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AgentOsException(
                        ErrorCode.INTERNAL, "the plan has no step " + context.stepId()));
    Instruction instruction = role.instruction(context);
    StepRunner runner = runnerFor(instruction, context);
    boolean measure = instruction.action() == Instruction.Action.AGENT;
    Optional<AgentOsException> refusal = refusalToStart(context, step);
    if (refusal.isPresent()) {
      throw refusal.get();
    }
    StepRecord running = claimedRecord(context, step);
    context.event(EventType.STEP_STARTED, step.id() + " " + step.title(), null);
    String feedback = "";
    for (int rerun = 0; ; rerun++) {
      // Measured from the step's commit below, not by a snapshot before and after the agent: the
      // worktree started clean at the step's start head, so its commit holds all the step did.
      Ended ended = runStep(context, runner, step, running, false, false, feedback);
      StepRecord record = ended.record();
      if (ended.asked() != null) {
        context.commitWork("agentos: step " + step.id() + " asked a person: " + step.title());
        record =
            latest(context, running)
                .finished(
                    StepStatus.FAILED,
                    clock.instant(),
                    "the agent asked a person: "
                        + ended.asked().question()
                        + " (a step that runs beside others cannot wait for an answer: answer it"
                        + " in the spec or the goal, then retry the cycle)",
                    null,
                    null);
      }
      if (record.status() != StepStatus.COMPLETED) {
        return withTranscript(context, step, keptOnItsBranch(context, record), ended.transcript());
      }
      if (measure) {
        record = measuredByItsCommit(context, record);
      }
      StepMerge merge =
          context.mergeIntoCycle(
              "agentos: step " + step.id() + " " + step.title(),
              merged -> taskBoxes.tick(merged, context.state(), step));
      if (merge instanceof StepMerge.Merged merged) {
        return withTranscript(
            context, step, record.withWorkspaceRef(merged.head()), ended.transcript());
      }
      StepMerge.Conflict conflict = (StepMerge.Conflict) merge;
      String files = String.join(", ", conflict.files());
      if (rerun >= parallel.mergeReruns()) {
        StepRecord failed =
            latest(context, running)
                .finished(
                    StepStatus.FAILED,
                    clock.instant(),
                    "its merge into the cycle branch conflicted with other steps' changes in "
                        + files
                        + " after "
                        + rerun
                        + " re-run(s) on the new head",
                    null,
                    null);
        return withTranscript(context, step, keptOnItsBranch(context, failed), ended.transcript());
      }
      context.event(
          EventType.STEP_NOTE,
          step.id() + ": its merge conflicted in " + files + "; running it again on the new head",
          null);
      context.startOver();
      feedback =
          "Your earlier run of this step conflicted with changes other steps merged meanwhile, in: "
              + files
              + ". The code now holds their changes; the conflicting hunks were:\n"
              + conflict.detail()
              + "\nDo this step again on top of the current code, keeping their changes.\n";
    }
  }

  /** {@code completed} with the files its commit changed, and a note when that is none. */
  private static StepRecord measuredByItsCommit(StepContext context, StepRecord completed) {
    return measured(
        context, completed, () -> StepChanges.of(context.changedFiles(), StepChanges.GIT));
  }

  /**
   * {@code completed} with what {@code changes} reads its step changed, and a note when that is
   * nothing or cannot be read (the step stands; only a stop of the phase is thrown on).
   */
  private static StepRecord measured(
      PhaseContext context, StepRecord completed, Supplier<StepChanges> changes) {
    StepChanges read;
    try {
      read = changes.get();
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED || context.cancelled()) {
        throw e;
      }
      return completed.withNote(Before.notMeasured(e.getMessage()));
    }
    StepRecord measured = completed.withChanges(read);
    return read.none() ? measured.withNote(NO_CHANGES_NOTE) : measured;
  }

  /**
   * The claimed step's RUNNING record, with the cycle branch's commit its worktree started from on
   * the step's first start: the base of the changes the prompts and Review are shown.
   */
  private StepRecord claimedRecord(StepContext context, PlanStep step) {
    StepRecord claimed =
        context
            .state()
            .currentIteration()
            .executionOrEmpty()
            .step(step.id())
            .orElseThrow(
                () ->
                    new AgentOsException(
                        ErrorCode.CONFLICT, "step " + step.id() + " is not claimed"));
    if (claimed.baseRef() != null) {
      return claimed;
    }
    StepRecord based = claimed.withBaseRef(context.startHead());
    context.checkpointSteps(based);
    return latest(context, based);
  }

  /**
   * A step that did not complete is never merged: its work is pushed to its own branch for people
   * to look at, and the record says where (or why it could not be kept).
   */
  private static StepRecord keptOnItsBranch(StepContext context, StepRecord failed) {
    String branch = StepCheckout.branchName(context.state().cycleId(), failed.id());
    try {
      context.keepOnStepBranch();
      return failed.withNote("its work is kept on branch " + branch + ", not merged");
    } catch (RuntimeException e) {
      return failed.withNote(
          "its work could not be kept on branch " + branch + ": " + e.getMessage());
    }
  }

  /** {@code record} with its agent's whole answer stored beside it, or a note why it is not. */
  private static StepRecord withTranscript(
      PhaseContext context, PlanStep step, StepRecord record, String transcript) {
    if (transcript == null) {
      return record;
    }
    try {
      return record.withArtifact(
          context.storeArtifact(transcriptName(context, step, record), transcript));
    } catch (RuntimeException e) {
      return record.withNote("the step's transcript could not be stored: " + e.getMessage());
    }
  }

  /**
   * A step that ended, with its agent's whole answer when that is too long for the state; or, with
   * {@code asked}, a step whose agent stopped to ask a person, its record still RUNNING.
   */
  private record Ended(PlanStep step, StepRecord record, String transcript, AgentQuestion asked) {
    Ended(PlanStep step, StepRecord record, String transcript) {
      this(step, record, transcript, null);
    }
  }

  /**
   * The step's agent asked a person: its record (with the agent's session, and what its channel
   * reported) stays unfinished, its box unticked; in a git workspace the work so far is pushed, so
   * that whichever replica continues after the answer has it. The cycle then waits in NEEDS_INPUT.
   */
  private PhaseOutcome waitForAnswer(PhaseContext context, Ended asking) {
    PlanStep step = asking.step();
    if (asking.transcript() != null) {
      keepTranscript(context, step, asking.record(), asking.transcript());
    }
    StepRecord record = asking.record();
    if (record.notes() != null) {
      context.checkpointSteps(record);
    }
    if (inGit(context)) {
      context.commitWork(
          "agentos: step " + step.id() + " asks a person (work so far): " + step.title());
    }
    context.event(
        EventType.STEP_NOTE,
        step.id() + ": the agent asks a person: " + asking.asked().question(),
        null);
    return new PhaseOutcome.NeedsInput(
        step.id(), asking.asked().question(), asking.asked().context());
  }

  /**
   * The next step's RUNNING record written with the ended step, and its record before (empty for a
   * first start), to put back if the phase stops before the step's agent runs.
   */
  private record Start(StepRecord running, Optional<StepRecord> before) {
    static final Start NONE = new Start(null, Optional.empty());

    /** {@code state} as it was before this start was written. */
    CycleState undone(CycleState state) {
      if (running == null) {
        return state;
      }
      if (before.isPresent()) {
        return PhaseContext.withSteps(state, before.get());
      }
      Iteration current = state.currentIteration();
      return state.withCurrentIteration(
          current.withExecution(current.executionOrEmpty().without(running.id())));
    }
  }

  /**
   * Writes in one checkpoint the step that ended, the notes of the step before it and the next
   * step's start (each if there is one): the ended step is durable before its box is ticked, its
   * transcript stored or the next agent started, at the cost of one write per step. Then does the
   * ended step's aftermath and returns what it added (notes, the transcript's reference), to be
   * written with the next checkpoint; null when it added nothing.
   */
  private StepRecord write(PhaseContext context, Ended ended, StepRecord notes, Start next) {
    StepRecord[] records =
        Stream.of(ended == null ? null : ended.record(), notes, next.running())
            .filter(Objects::nonNull)
            .toArray(StepRecord[]::new);
    if (records.length > 0) {
      context.checkpointSteps(records);
    }
    if (ended == null) {
      return null;
    }
    context.event(EventType.STEP_FINISHED, ended.record().endNote(), null);
    StepRecord after = aftermath(context, ended, next);
    if (after.notes() != null) {
      for (String note : after.notes()) {
        context.event(EventType.STEP_NOTE, ended.step().id() + ": " + note, null);
      }
    }
    return after == ended.record() ? null : after;
  }

  /** Writes what is left at the end of the phase (or before it stops). */
  private void finish(PhaseContext context, Ended ended, StepRecord notes) {
    StepRecord left = write(context, ended, notes, Start.NONE);
    if (left != null) {
      write(context, null, left, Start.NONE);
    }
  }

  /**
   * In a git workspace, the step's work becomes one commit on the cycle's branch, its box in
   * tasks.md ticked (or marked blocked) in the same commit, pushed before the checkpoint records
   * it: the step and its box are durable together, and a replica that takes over starts from it.
   * Elsewhere the record as it is, its box handled after the checkpoint.
   */
  private StepRecord committed(PhaseContext context, PlanStep step, StepRecord ended) {
    if (!inGit(context)) {
      return ended;
    }
    // A parallel step's box is ticked at its merge, in the merged tree: adjacent boxes of steps
    // that run side by side would conflict otherwise.
    StepRecord record = context instanceof StepContext ? ended : markBox(context, step, ended);
    String subject =
        "agentos: step "
            + step.id()
            + switch (record.status()) {
              case COMPLETED -> " ";
              case SKIPPED -> " skipped: ";
              default -> " failed: ";
            }
            + step.title();
    String sha = context.commitWork(subject).orElse(null);
    return record.withWorkspaceRef(sha);
  }

  /** Whether each step is a commit: a git workspace, or an isolated worktree of a local one. */
  private static boolean inGit(PhaseContext context) {
    return context.state().workspace() != null
        && (context.state().workspace().git() != null || context.state().workspace().isolated());
  }

  private StepRecord markBox(PhaseContext context, PlanStep step, StepRecord record) {
    try {
      if (record.status() == StepStatus.COMPLETED) {
        taskBoxes.tick(context.workspace(), context.state(), step);
      } else {
        taskBoxes.markBlocked(context.workspace(), context.state(), step, record.summary());
      }
      return record;
    } catch (RuntimeException e) {
      return record.withNote("the task's box in tasks.md could not be updated: " + e.getMessage());
    }
  }

  /**
   * What follows a step's checkpoint: its box ticked (or marked blocked) and its long transcript
   * stored. Either may fail (a read-only tasks.md, a full object store); the failure becomes a note
   * on the step, never a reason to run its agent again (a store still full after the worker's wait
   * for room pauses the cycle as well).
   */
  private StepRecord aftermath(PhaseContext context, Ended ended, Start next) {
    PlanStep step = ended.step();
    StepRecord record = inGit(context) ? ended.record() : markBox(context, step, ended.record());
    if (ended.transcript() != null) {
      try {
        record =
            record.withArtifact(
                context.storeArtifact(transcriptName(context, step, record), ended.transcript()));
      } catch (RuntimeException e) {
        record = record.withNote("the step's transcript could not be stored: " + e.getMessage());
        if (e instanceof AgentOsException full && full.code() == ErrorCode.STORAGE_FULL) {
          // The store stayed full for the worker's whole wait: the step is done and recorded with
          // the note, the next step's start is taken back (its agent has not run), and the cycle
          // pauses until there is room; a resume starts the next step as a first try.
          StepRecord noted = record;
          context.checkpoint(s -> next.undone(PhaseContext.withSteps(s, noted)));
          throw full;
        }
      }
    }
    return record;
  }

  /**
   * Ticks the boxes of the steps already COMPLETED in this iteration: a worker that crashed between
   * a step's checkpoint and its tick left the box open. Ticking a ticked box changes nothing.
   */
  private void tickCompletedSteps(PhaseContext context, Plan plan) {
    if (inGit(context)) {
      return; // each step's commit carries its box
    }
    for (PlanStep step : plan.steps()) {
      Optional<StepRecord> prior =
          context.state().currentIteration().executionOrEmpty().step(step.id());
      if (prior.isPresent() && prior.get().status() == StepStatus.COMPLETED) {
        try {
          taskBoxes.tick(context.workspace(), context.state(), step);
        } catch (RuntimeException e) {
          // Noted on the step when it completed; nothing new to say.
        }
      }
    }
  }

  private static List<PlanStep> unfinished(CycleState state, List<PlanStep> ordered) {
    return ordered.stream().filter(step -> !done(state, step)).toList();
  }

  /** The record of a step that cannot run because a step it waits for did not complete. */
  private StepRecord skipped(PlanStep step, StepGraph graph, Execution sofar) {
    return StepRecord.skipped(
        step.id(), graph.failedDependencies(step.id(), sofar), clock.instant());
  }

  private static boolean done(CycleState state, PlanStep step) {
    Optional<StepRecord> prior = state.currentIteration().executionOrEmpty().step(step.id());
    return prior.isPresent() && prior.get().status().isDone();
  }

  /** Why the step may not start now (the cycle was stopped, a budget is spent), if it may not. */
  private static Optional<AgentOsException> refusalToStart(PhaseContext context, PlanStep step) {
    if (context.cancelled()) {
      return Optional.of(
          new AgentOsException(ErrorCode.CANCELLED, "cancelled before step " + step.id()));
    }
    try {
      // Before the step is marked RUNNING, so that a paused cycle resumes it as a first try.
      Budgets.require(context.state(), context.uncommittedUsage());
      return Optional.empty();
    } catch (AgentOsException e) {
      return Optional.of(e);
    }
  }

  /**
   * The RUNNING record of a step's next attempt (the first, or a retry after a dead worker), with
   * the workspace's commit when the step first started: a retry keeps its interrupted attempt's, so
   * that what that attempt left can be shown to the next.
   */
  private StepRecord start(PhaseContext context, PlanStep step) {
    Optional<StepRecord> prior =
        context.state().currentIteration().executionOrEmpty().step(step.id());
    String base =
        prior
            .map(StepRecord::baseRef)
            .orElseGet(() -> GitWorkspace.head(context.workspace()).orElse(null));
    // An interrupted (or answered) attempt's agent session is kept for the next to resume, its
    // last output for the next attempt's prompt, and the questions its agent asked a person, with
    // the answers, for every later prompt.
    return StepRecord.started(
            step.id(), prior.map(p -> p.attempts() + 1).orElse(1), clock.instant())
        .withBaseRef(base)
        .withAgentSession(prior.map(StepRecord::agentSession).orElse(null))
        .withAnswers(prior.map(StepRecord::answers).orElse(null))
        .withLastOutput(prior.map(StepRecord::lastOutput).orElse(null));
  }

  /** What one run of a step's agent gave: its result, and what it left in its channel. */
  private record StepAttempt(AgentResult result, AgentQuestion question, List<String> notes) {
    static StepAttempt of(AgentResult result) {
      return new StepAttempt(result, null, List.of());
    }
  }

  /** Carries out one attempt of a step: the agent, or Agent OS's own action. */
  @FunctionalInterface
  private interface StepRunner {
    StepAttempt run(
        PhaseContext context, PlanStep step, int attempt, String retryNote, boolean afterAnswer);
  }

  private StepRunner runnerFor(Instruction instruction, PhaseContext context) {
    if (instruction.action() == Instruction.Action.GIT_COMMIT) {
      return (ctx, step, attempt, retryNote, afterAnswer) ->
          StepAttempt.of(
              new AgentResult(
                  GitCommitAction.run(ctx.workspace(), ctx.state()), 0, Usage.ZERO, "git"));
    }
    AgentBackend agent = role.requireAgent(context.state());
    // A model agent works through the executor's tools; a CLI agent brings its own.
    return (ctx, step, attempt, retryNote, afterAnswer) -> {
      try (AgentChannel channel = AgentChannel.create(scratchRoot)) {
        AgentResult result;
        StepCall call =
            new StepCall(step.id(), ToolAccess.executor(ctx.workspace()), channel, afterAnswer);
        try {
          result =
              AgentCalls.callForStep(
                  ctx, agent, request(ctx, instruction, step, attempt, retryNote), call);
        } catch (AgentOsException e) {
          channelNotes(
              ctx, step, decisions.record(ctx.state(), step.id(), attempt, channel.read()));
          throw e;
        }
        ChannelReport report = channel.read();
        List<String> notes = decisions.record(ctx.state(), step.id(), attempt, report);
        channelNotes(ctx, step, notes);
        if (report.questionRefused() != null) {
          throw new AgentOsException(
              ErrorCode.AGENT_FAILED,
              "the agent's question was refused: " + report.questionRefused());
        }
        return new StepAttempt(result, report.question().orElse(null), notes);
      }
    };
  }

  /** What the channel said went wrong, for people following the cycle. */
  private static void channelNotes(PhaseContext context, PlanStep step, List<String> notes) {
    for (String note : notes) {
      context.event(EventType.STEP_NOTE, step.id() + ": " + note, null);
    }
  }

  /**
   * Runs a step whose first attempt is already recorded RUNNING until it is done, as the failure
   * policy says: an agent that did not get it done is asked again with the failure fed back, then
   * the step is FAILED; a failure that is not the step's ends the phase.
   */
  private Ended runStep(
      PhaseContext context,
      StepRunner runner,
      PlanStep step,
      StepRecord firstAttempt,
      boolean measure,
      boolean afterAnswer,
      String feedback) {
    Before before = measure ? Before.take(context) : Before.NOT_MEASURED;
    StepRecord started = firstAttempt;
    int attempt = started.attempts();
    String retryNote =
        (afterAnswer || attempt == 1 ? "" : INTERRUPTED_NOTE)
            + feedback
            + AnswersNote.of(started, afterAnswer);
    boolean continuing = afterAnswer;
    for (int failures = 1; ; failures++) {
      try {
        StepAttempt run = runner.run(context, step, attempt, retryNote, continuing);
        AgentResult result = run.result();
        StepRecord latest = withNotes(latest(context, started), run.notes());
        if (run.question() != null) {
          return new Ended(step, latest, transcriptOf(result), run.question());
        }
        StepRecord completed =
            latest.finished(
                StepStatus.COMPLETED,
                clock.instant(),
                summary(result.text()),
                null,
                // Where each step is a commit, that commit is the step's ref (committed below).
                inGit(context) ? null : GitWorkspace.head(context.workspace()).orElse(null));
        completed = committed(context, step, before.measure(context, completed));
        return new Ended(step, completed, transcriptOf(result));
      } catch (AgentOsException e) {
        if (context.cancelled()) {
          throw e; // the worker stopped the phase and killed the agent: not the step's failure
        }
        String failedTranscript = e instanceof ToolLoopFailure loop ? loop.transcript() : null;
        FailureDecision decision = FailurePolicy.inStep(Failure.of(e), failures, stepAttempts);
        if (decision instanceof FailureDecision.FailStep failed) {
          StepRecord record =
              latest(context, started)
                  .finished(
                      StepStatus.FAILED, clock.instant(), summary(failed.reason()), null, null);
          return new Ended(step, committed(context, step, record), failedTranscript);
        }
        if (failedTranscript != null) {
          keepTranscript(context, step, started, failedTranscript);
        }
        if (!(decision instanceof FailureDecision.RetryStep retry)) {
          throw e; // not the step's failure: the phase's failure policy decides
        }
        retryNote =
            "This is attempt "
                + (attempt + 1)
                + ". "
                + summary(retry.feedback())
                + "\n"
                + AnswersNote.of(started, false);
        attempt++;
        continuing = false;
        started =
            StepRecord.started(step.id(), attempt, clock.instant())
                .withBaseRef(started.baseRef())
                .withAnswers(started.answers());
        context.checkpointSteps(started);
        context.event(EventType.STEP_STARTED, step.id() + " " + step.title(), null);
      }
    }
  }

  /** A model's tool loop is kept whole (each call and result, trimmed); a long answer too. */
  private static String transcriptOf(AgentResult result) {
    String text = result.text();
    return result.transcript() != null
        ? result.transcript()
        : text != null && text.length() > SUMMARY_CHARS ? text : null;
  }

  private static StepRecord withNotes(StepRecord record, List<String> notes) {
    StepRecord noted = record;
    for (String note : notes) {
      noted = noted.withNote(note);
    }
    return noted;
  }

  /**
   * The attempt's record as last checkpointed: the agent's call may have added to it (its own
   * session, a note that it was resumed), and the finished record keeps that.
   */
  private static StepRecord latest(PhaseContext context, StepRecord started) {
    return context
        .state()
        .currentIteration()
        .executionOrEmpty()
        .step(started.id())
        .filter(r -> r.attempts() == started.attempts() && r.status() == StepStatus.RUNNING)
        .orElse(started);
  }

  /**
   * The workspace before a step (taken once, before its first attempt in this worker, so that an
   * attempt retried in-process is measured from the step's start), or why it could not be taken.
   */
  private record Before(WorkspaceSnapshot snapshot, String failure) {
    static final Before NOT_MEASURED = new Before(null, null);

    static Before take(PhaseContext context) {
      try {
        return new Before(WorkspaceSnapshot.take(context.workspace()), null);
      } catch (AgentOsException e) {
        if (e.code() == ErrorCode.CANCELLED) {
          throw e;
        }
        return new Before(null, e.getMessage());
      }
    }

    /** The completed record with what its step changed, and a note when that is nothing. */
    StepRecord measure(PhaseContext context, StepRecord completed) {
      if (snapshot == null) {
        return failure == null ? completed : completed.withNote(notMeasured(failure));
      }
      return measured(context, completed, snapshot::changesSince);
    }

    static String notMeasured(String why) {
      return "what the step changed in the workspace could not be measured: " + why;
    }
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
    sections.add(PromptSection.required("retry_note", retryNote + interruptedLeft(context, step)));
    sections.add(
        new PromptSection(
            "progress",
            "the plan and the steps done",
            CycleProgress.plan(state.currentIteration()),
            CycleProgress.PLAN));
    sections.add(CycleProgress.changesSection(context.workspace(), state));
    sections.add(CycleProgress.historySection(state));
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

  /**
   * What an interrupted attempt of the step left: the files changed since the step first started,
   * and what its model agent did in its last saved turn; empty for a first attempt.
   */
  private static String interruptedLeft(PhaseContext context, PlanStep step) {
    Optional<StepRecord> current =
        context.state().currentIteration().executionOrEmpty().step(step.id());
    if (current.isEmpty() || current.get().attempts() < 2) {
      return "";
    }
    StringBuilder left = new StringBuilder();
    if (current.get().baseRef() != null) {
      left.append(
              "What the earlier attempts of this step left in the workspace (since the step"
                  + " began):\n")
          .append(CycleProgress.changesSince(context.workspace(), current.get().baseRef()))
          .append("\n");
    }
    if (current.get().lastOutput() != null) {
      left.append("The interrupted attempt's last output (its latest turn, trimmed):\n")
          .append(current.get().lastOutput())
          .append("\n");
    }
    return left.toString();
  }

  /**
   * Stores the transcript of an attempt that is retried at once (the next attempt's record takes
   * its place in the state, so it is found by its name); a store that fails is only logged.
   */
  private static void keepTranscript(
      PhaseContext context, PlanStep step, StepRecord attempt, String transcript) {
    try {
      context.storeArtifact(transcriptName(context, step, attempt), transcript);
    } catch (RuntimeException e) {
      context.event(
          EventType.STEP_NOTE,
          step.id() + ": the failed attempt's transcript could not be stored: " + e.getMessage(),
          null);
    }
  }

  private static String transcriptName(PhaseContext context, PlanStep step, StepRecord ended) {
    return "iteration-"
        + context.state().iteration()
        + "/step-"
        + step.id()
        + "-attempt-"
        + ended.attempts()
        + ".txt";
  }

  static String summary(String text) {
    if (text == null) {
      return "";
    }
    String t = text.strip();
    return t.length() <= SUMMARY_CHARS ? t : "…" + t.substring(t.length() - SUMMARY_CHARS);
  }
}
