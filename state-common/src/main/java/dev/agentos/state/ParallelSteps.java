package dev.agentos.state;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of an EXECUTE phase whose steps run in parallel: which steps go out as work items of
 * their own, who may run one (a lease on the step, not on the phase), and what the end of a step
 * leads to (the steps it blocked recorded SKIPPED, and the move to EXPRESSING once every step is
 * done). Every method is a pure function of the state, like {@link Transitions}, so that {@code
 * CycleStore.update} can re-run it after a compare-and-set conflict: two replicas that finish the
 * last two steps at once write one after the other, and only the second write finds every step
 * done, so the cycle moves to EXPRESSING exactly once.
 *
 * <p>Only a plan that declares {@code depends_on}, in a git workspace, fans out ({@link #fansOut});
 * any other plan runs its steps one after another under the phase's lease, as before. While a plan
 * fans out, the cycle has no phase lease: each RUNNING step record carries its own.
 *
 * <p>Fairness: a cycle never has more than its {@code max_parallel} steps published and not yet
 * claimed or running ({@link #toPublish}), and the work queue is first in, first out, so the steps
 * of a large plan queue behind other cycles' work instead of filling the queue.
 */
public final class ParallelSteps {
  private ParallelSteps() {}

  /**
   * Whether the current iteration's plan runs its steps as work items: it declares depends_on, and
   * the cycle works in a git workspace, where each step gets a worktree and branch of its own. A
   * local-path workspace (isolated or not) has one working tree for the cycle, so its steps run one
   * after another in graph order, as before.
   */
  public static boolean fansOut(CycleState state) {
    Plan plan = state.currentIteration().plan();
    return plan != null
        && state.workspace() != null
        && state.workspace().git() != null
        && !StepGraph.of(plan).sequential();
  }

  /**
   * The steps to publish now, in graph order: those whose dependencies COMPLETED and that never
   * started, and those RUNNING under a lease that ended (the replica that held them died), as many
   * as {@code maxParallel} leaves room for next to the steps running under a live lease.
   */
  public static List<PlanStep> toPublish(CycleState state, int maxParallel, Instant now) {
    if (state.status() != Status.EXECUTING || !fansOut(state)) {
      return List.of();
    }
    StepGraph graph = StepGraph.of(state.currentIteration().plan());
    Execution execution = state.currentIteration().executionOrEmpty();
    int room = Math.max(0, maxParallel - runningLive(execution, now, null));
    List<PlanStep> publish = new ArrayList<>();
    for (PlanStep step : graph.ordered()) {
      if (publish.size() == room) {
        break;
      }
      StepGraph.Readiness readiness = graph.readiness(step.id(), execution);
      if (readiness == StepGraph.Readiness.READY
          || (readiness == StepGraph.Readiness.RUNNING && orphaned(execution, step.id(), now))) {
        publish.add(step);
      }
    }
    return publish;
  }

  /**
   * The step the worker that just ended {@code endedId} may go on with itself: the first step, in
   * graph order, that never started, may start now and waits for {@code endedId} alone — the next
   * link of a chain. That worker holds the merge the step starts from, so the step needs no fetch.
   */
  public static Optional<PlanStep> continuation(
      CycleState state, String endedId, int maxParallel, Instant now) {
    Execution execution = state.currentIteration().executionOrEmpty();
    return toPublish(state, maxParallel, now).stream()
        .filter(step -> step.dependsOn().equals(List.of(endedId)))
        .filter(step -> execution.step(step.id()).isEmpty())
        .findFirst();
  }

  /**
   * Decides whether {@code worker} may run step {@code stepId}: a step of the running EXECUTE phase
   * of {@code iteration} that is ready, or RUNNING under a lease that ended (taken over, its
   * attempt counted). A live lease of another worker, or {@code maxParallel} steps running already,
   * is Busy; a step started {@code maxAttempts} times is Exhausted ({@link #giveUp} records it
   * FAILED); anything else (done, blocked, the cycle moved on) is Stale.
   */
  public static ClaimDecision claim(
      CycleState state,
      int iteration,
      String stepId,
      String worker,
      Duration leaseFor,
      int maxAttempts,
      int maxParallel,
      Instant now) {
    Optional<String> stale = staleness(state, iteration, stepId);
    if (stale.isPresent()) {
      return new ClaimDecision.Stale(stale.get());
    }
    StepGraph graph = StepGraph.of(state.currentIteration().plan());
    Execution execution = state.currentIteration().executionOrEmpty();
    StepGraph.Readiness readiness = graph.readiness(stepId, execution);
    Optional<StepRecord> prior = execution.step(stepId);
    if (readiness == StepGraph.Readiness.RUNNING) {
      Lease held = prior.get().lease();
      if (held != null && !held.isHeldBy(worker) && held.isLiveAt(now)) {
        return new ClaimDecision.Busy(held.owner(), held.until());
      }
    } else if (readiness != StepGraph.Readiness.READY) {
      return new ClaimDecision.Stale("step " + stepId + " is " + readiness);
    }
    if (runningLive(execution, now, stepId) >= maxParallel) {
      return new ClaimDecision.Busy("max_parallel " + maxParallel, firstLeaseEnd(execution, now));
    }
    int attempts = prior.map(StepRecord::attempts).orElse(0);
    if (attempts >= maxAttempts) {
      return new ClaimDecision.Exhausted(attempts);
    }
    StepRecord claimed =
        prior
            .orElse(StepRecord.started(stepId, 0, now))
            .claimed(new Lease(worker, now.plus(leaseFor)), now);
    return new ClaimDecision.Claimed(withStep(state, claimed, now));
  }

  /** Extends {@code worker}'s lease on the step; CONFLICT or CANCELLED when it lost the step. */
  public static CycleState renew(
      CycleState state,
      int iteration,
      String stepId,
      String worker,
      Duration leaseFor,
      Instant now) {
    StepRecord running = requireOwner(state, iteration, stepId, worker);
    return withStep(state, running.withLease(new Lease(worker, now.plus(leaseFor))), now);
  }

  /** Gives the step back without finishing it, so that the next delivery can claim it at once. */
  public static CycleState release(
      CycleState state, int iteration, String stepId, String worker, Instant now) {
    Optional<StepRecord> running = runningRecord(state, iteration, stepId);
    if (running.isEmpty()
        || running.get().lease() == null
        || !running.get().lease().isHeldBy(worker)) {
      return state;
    }
    return withStep(state, running.get().withLease(null), now);
  }

  /**
   * Records {@code ended} (a COMPLETED or FAILED record of a step {@code worker} holds), then what
   * follows from it ({@link #settle}).
   */
  public static CycleState ended(
      CycleState state, int iteration, StepRecord ended, String worker, Instant now) {
    if (!ended.status().isDone()) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "step " + ended.id() + " ended " + ended.status() + ", not done");
    }
    requireOwner(state, iteration, ended.id(), worker);
    return settle(withStep(state, ended.withLease(null), now), now);
  }

  /**
   * Records as FAILED, with {@code reason}, a step that was started too often without finishing
   * (its replicas kept dying), then what follows from it; the steps that do not wait for it go on.
   */
  public static CycleState giveUp(
      CycleState state, int iteration, String stepId, String reason, Instant now) {
    Optional<StepRecord> running = runningRecord(state, iteration, stepId);
    if (running.isEmpty()) {
      return state;
    }
    StepRecord failed =
        running.get().withLease(null).finished(StepStatus.FAILED, now, reason, null, null);
    return settle(withStep(state, failed, now), now);
  }

  /**
   * Records as SKIPPED every step that waits (directly or not) for a step that did not complete,
   * and moves the cycle to EXPRESSING when every step of the plan is done: the fan-in. Returns the
   * same instance when there is nothing to record, so that {@code CycleStore.update} writes
   * nothing.
   */
  public static CycleState settle(CycleState state, Instant now) {
    if (state.status() != Status.EXECUTING || !fansOut(state)) {
      return state;
    }
    StepGraph graph = StepGraph.of(state.currentIteration().plan());
    Execution execution = state.currentIteration().executionOrEmpty();
    Execution settled = execution;
    boolean allDone = true;
    // In graph order a step is looked at after every step it waits for was settled.
    for (PlanStep step : graph.ordered()) {
      StepGraph.Readiness readiness = graph.readiness(step.id(), settled);
      if (readiness == StepGraph.Readiness.BLOCKED) {
        settled =
            settled.with(
                StepRecord.skipped(step.id(), graph.failedDependencies(step.id(), settled), now));
      } else if (readiness != StepGraph.Readiness.DONE) {
        allDone = false;
      }
    }
    if (allDone) {
      return Transitions.executed(state, settled, now);
    }
    if (settled == execution) {
      return state;
    }
    return state.withCurrentIteration(state.currentIteration().withExecution(settled)).toBuilder()
        .updatedAt(now)
        .build();
  }

  /**
   * Checks that {@code worker} holds step {@code stepId}'s lease; the guard of each of the step's
   * writes. CANCELLED when the cycle was cancelled, CONFLICT when the phase moved on or the step's
   * lease is another's.
   */
  public static StepRecord requireOwner(
      CycleState state, int iteration, String stepId, String worker) {
    if (state.status() == Status.CANCELLED) {
      throw new AgentOsException(
          ErrorCode.CANCELLED, "cycle " + state.cycleId() + " was cancelled");
    }
    Optional<StepRecord> running = runningRecord(state, iteration, stepId);
    Lease held = running.map(StepRecord::lease).orElse(null);
    if (held == null || !held.isHeldBy(worker)) {
      throw new AgentOsException(
          ErrorCode.CONFLICT,
          "worker "
              + worker
              + " no longer holds step "
              + stepId
              + " of cycle "
              + state.cycleId()
              + (held == null ? "" : "; " + held.owner() + " does"));
    }
    return running.get();
  }

  private static Optional<StepRecord> runningRecord(
      CycleState state, int iteration, String stepId) {
    if (state.status() != Status.EXECUTING || state.iteration() != iteration) {
      return Optional.empty();
    }
    return state
        .currentIteration()
        .executionOrEmpty()
        .step(stepId)
        .filter(r -> r.status() == StepStatus.RUNNING);
  }

  /** Why a step's work message does not match the state, if it does not. */
  private static Optional<String> staleness(CycleState state, int iteration, String stepId) {
    if (state == null) {
      return Optional.of("the cycle does not exist");
    }
    if (state.status() != Status.EXECUTING
        || state.iteration() != iteration
        || state.phase() != Phase.EXECUTE) {
      return Optional.of(
          "the cycle is "
              + state.status()
              + " at iteration "
              + state.iteration()
              + " phase "
              + state.phase());
    }
    Plan plan = state.currentIteration().plan();
    if (plan == null || plan.steps().stream().noneMatch(s -> s.id().equals(stepId))) {
      return Optional.of("the plan has no step " + stepId);
    }
    if (!fansOut(state)) {
      return Optional.of("the plan runs its steps one after another");
    }
    return Optional.empty();
  }

  /**
   * Whether a step of the current iteration runs under a live lease: a cycle whose steps run in
   * parallel has no phase lease, and is not orphaned while one of its steps is held.
   */
  public static boolean anyStepLeased(CycleState state, Instant now) {
    return state.status() == Status.EXECUTING
        && runningLive(state.currentIteration().executionOrEmpty(), now, null) > 0;
  }

  /**
   * Whether step {@code stepId} runs under a live lease: its holder keeps the work item it claimed
   * the step by (or, for a chain's link, the item of the link before) until the step ends, so
   * another item for that step is a duplicate.
   */
  public static boolean stepLeased(CycleState state, String stepId, Instant now) {
    return state.status() == Status.EXECUTING
        && state
            .currentIteration()
            .executionOrEmpty()
            .step(stepId)
            .filter(r -> heldLive(r, now))
            .isPresent();
  }

  /** How many steps other than {@code except} run under a lease that has not ended. */
  private static int runningLive(Execution execution, Instant now, String except) {
    return (int)
        execution.steps().stream().filter(r -> !r.id().equals(except) && heldLive(r, now)).count();
  }

  /** Whether {@code record} is RUNNING under a lease that has not ended. */
  private static boolean heldLive(StepRecord record, Instant now) {
    return record.status() == StepStatus.RUNNING
        && record.lease() != null
        && record.lease().isLiveAt(now);
  }

  private static boolean orphaned(Execution execution, String stepId, Instant now) {
    Lease held = execution.step(stepId).map(StepRecord::lease).orElse(null);
    return held == null || !held.isLiveAt(now);
  }

  /**
   * When the first step lease that ends within {@code within} of {@code now} ends: a holder that
   * renews every {@code within} or more often keeps its lease further out than that, so such a
   * lease is one whose holder stopped renewing it (it died). Empty when there is none.
   */
  public static Optional<Instant> lapsingLease(CycleState state, Instant now, Duration within) {
    if (state.status() != Status.EXECUTING) {
      return Optional.empty();
    }
    Instant soon = now.plus(within);
    return state.currentIteration().executionOrEmpty().steps().stream()
        .filter(r -> r.status() == StepStatus.RUNNING && r.lease() != null)
        .map(r -> r.lease().until())
        .filter(until -> until.isAfter(now) && !until.isAfter(soon))
        .min(Instant::compareTo);
  }

  /** When the first live step lease ends: when a busy cycle may have room again. */
  private static Instant firstLeaseEnd(Execution execution, Instant now) {
    return execution.steps().stream()
        .filter(r -> r.status() == StepStatus.RUNNING && r.lease() != null)
        .map(r -> r.lease().until())
        .filter(until -> until.isAfter(now))
        .min(Instant::compareTo)
        .orElse(now);
  }

  private static CycleState withStep(CycleState state, StepRecord record, Instant now) {
    Iteration current = state.currentIteration();
    return state
        .withCurrentIteration(current.withExecution(current.executionOrEmpty().with(record)))
        .toBuilder()
        .updatedAt(now)
        .build();
  }
}
