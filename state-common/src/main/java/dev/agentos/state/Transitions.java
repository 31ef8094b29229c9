package dev.agentos.state;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state machine of a PEER cycle: the only place that decides a transition. Every method is a
 * pure function from a state to the next one, so that {@code CycleStore.update} can re-run it after
 * a compare-and-set conflict. A transition the current status does not allow is an {@link
 * ErrorCode#INVALID_TRANSITION}.
 *
 * <pre>
 * submit → QUEUED → PLANNING → EXECUTING → EXPRESSING → REVIEWING → COMPLETED
 *   review REVISE and iteration &lt; max → PLANNING (iteration+1, feedback in)
 *   review FAIL, MaxDeliver exhausted, budget exhausted (not pausing) → FAILED
 *   cancel (any non-final) → CANCELLED; approval gate → AWAITING_APPROVAL
 *   a step's agent asks a person → NEEDS_INPUT; the answer → EXECUTING (the same step goes on)
 * </pre>
 */
public final class Transitions {
  private Transitions() {}

  // ---- ownership of a phase -------------------------------------------------------------------

  /**
   * Decides whether {@code worker} may run the phase a work message names. A lease held by another
   * worker that is still live means a duplicate delivery; an expired one is taken over.
   */
  public static ClaimDecision claim(
      CycleState state,
      int iteration,
      Phase phase,
      String worker,
      Duration leaseFor,
      int maxAttempts,
      Instant now) {
    if (state == null) {
      return new ClaimDecision.Stale("the cycle does not exist");
    }
    if (state.status().isFinal()) {
      return new ClaimDecision.Stale("the cycle is " + state.status());
    }
    if (state.iteration() != iteration || state.phase() != phase) {
      return new ClaimDecision.Stale(
          "the cycle is at iteration " + state.iteration() + " phase " + state.phase());
    }
    if (state.status().runningPhase().isEmpty()) {
      return new ClaimDecision.Stale("the cycle is " + state.status());
    }
    Lease lease = state.lease();
    if (lease != null && !lease.isHeldBy(worker) && lease.isLiveAt(now)) {
      return new ClaimDecision.Busy(lease.owner(), lease.until());
    }
    if (state.attempts() >= maxAttempts) {
      return new ClaimDecision.Exhausted(state.attempts());
    }
    CycleState started = state.status() == Status.QUEUED ? move(state, Trigger.START, now) : state;
    return new ClaimDecision.Claimed(
        started.toBuilder()
            .lease(new Lease(worker, now.plus(leaseFor)))
            .attempts(state.attempts() + 1)
            .updatedAt(now)
            .build());
  }

  /**
   * Extends {@code worker}'s lease. Fails with CONFLICT when the worker no longer owns the phase,
   * and with CANCELLED when the cycle was cancelled: the worker stops in both cases.
   */
  public static CycleState renewLease(
      CycleState state, Phase phase, String worker, Duration leaseFor, Instant now) {
    requireOwner(state, phase, worker);
    return state.toBuilder().lease(new Lease(worker, now.plus(leaseFor))).updatedAt(now).build();
  }

  /**
   * Marks a runnable cycle whose work message was lost as enqueued again. {@code requeues} only
   * ever grows, so the new hand-off gets a message id the duplicate window has not seen.
   */
  public static CycleState requeue(CycleState state, Instant now) {
    if (state.status().runningPhase().isEmpty()) {
      throw new AgentOsException(
          ErrorCode.INVALID_TRANSITION,
          "cycle " + state.cycleId() + " is " + state.status() + "; only running cycles requeue");
    }
    return state.toBuilder().lease(null).requeues(state.requeues() + 1).updatedAt(now).build();
  }

  /** Gives the phase back without finishing it, so that the next delivery can claim at once. */
  public static CycleState releaseLease(CycleState state, String worker, Instant now) {
    if (state.lease() == null || !state.lease().isHeldBy(worker)) {
      return state;
    }
    return state.toBuilder().lease(null).updatedAt(now).build();
  }

  /** Checks that {@code worker} still owns {@code phase}; the guard of every checkpoint. */
  public static void requireOwner(CycleState state, Phase phase, String worker) {
    if (state.status() == Status.CANCELLED) {
      throw new AgentOsException(
          ErrorCode.CANCELLED, "cycle " + state.cycleId() + " was cancelled");
    }
    if (state.phase() != phase || state.status() != phase.runningStatus()) {
      throw new AgentOsException(
          ErrorCode.CONFLICT,
          "cycle "
              + state.cycleId()
              + " is "
              + state.status()
              + " in phase "
              + state.phase()
              + ", no longer in "
              + phase);
    }
    if (state.lease() == null || !state.lease().isHeldBy(worker)) {
      throw new AgentOsException(
          ErrorCode.CONFLICT,
          "worker "
              + worker
              + " lost the lease on cycle "
              + state.cycleId()
              + (state.lease() == null ? "" : " to " + state.lease().owner()));
    }
  }

  // ---- the PEER phases ------------------------------------------------------------------------

  /** PLAN is done: on to EXECUTE, or to the after-plan approval gate. */
  public static CycleState planned(CycleState state, Plan plan, Instant now) {
    CycleState withPlan = state.withCurrentIteration(state.currentIteration().withPlan(plan));
    if (state.optionsOrDefaults().approvalsOrNone().requires(Gate.AFTER_PLAN)) {
      return awaitApproval(withPlan, Trigger.PLAN_DONE, Gate.AFTER_PLAN, now);
    }
    return move(withPlan, Trigger.PLAN_DONE, now, Status.EXECUTING, Phase.EXECUTE);
  }

  /** EXECUTE is done: on to EXPRESS. */
  public static CycleState executed(CycleState state, Execution execution, Instant now) {
    CycleState withExecution =
        state.withCurrentIteration(state.currentIteration().withExecution(execution));
    return move(withExecution, Trigger.EXECUTE_DONE, now, Status.EXPRESSING, Phase.EXPRESS);
  }

  /** EXPRESS is done: on to REVIEW. */
  public static CycleState expressed(CycleState state, ExpressResult express, Instant now) {
    CycleState withExpress =
        state.withCurrentIteration(state.currentIteration().withExpress(express));
    return move(withExpress, Trigger.EXPRESS_DONE, now, Status.REVIEWING, Phase.REVIEW);
  }

  /**
   * REVIEW is done; its verdict decides: PASS completes (or waits at the before-complete gate),
   * REVISE starts the next iteration with the feedback while iterations remain, FAIL fails.
   */
  public static CycleState reviewed(CycleState state, Review review, Instant now) {
    return reviewed(state, review, null, now);
  }

  /**
   * As {@link #reviewed(CycleState, Review, Instant)}, with the iteration's recap as Review left it
   * in the artifact store ({@code recap}: its verdicts written into it; null when Review did not
   * change it). The only part of EXPRESS's result that Review changes.
   */
  public static CycleState reviewed(
      CycleState state, Review review, ArtifactRef recap, Instant now) {
    Iteration current = state.currentIteration();
    if (recap != null && current.express() != null) {
      current = current.withExpress(current.express().withRecap(recap));
    }
    CycleState withReview = state.withCurrentIteration(current.withReview(review));
    return switch (review.verdict()) {
      case PASS -> {
        if (state.optionsOrDefaults().approvalsOrNone().requires(Gate.BEFORE_COMPLETE)) {
          yield awaitApproval(withReview, Trigger.REVIEW_PASS, Gate.BEFORE_COMPLETE, now);
        }
        yield move(withReview, Trigger.REVIEW_PASS, now, Status.COMPLETED, Phase.REVIEW);
      }
      case REVISE -> nextIteration(withReview, Trigger.REVIEW_REVISE, review.feedback(), now);
      case FAIL ->
          failed(
              move(withReview, Trigger.REVIEW_FAIL, now, Status.FAILED, Phase.REVIEW),
              ErrorCode.REVIEW_FAILED,
              "review failed the cycle with score " + review.score() + " (" + review.band() + ")");
    };
  }

  // ---- people and operators -------------------------------------------------------------------

  /** A person approves the gate the cycle waits at. */
  public static CycleState approve(CycleState state, Instant now) {
    Gate gate = gateOf(state);
    CycleState approved = state.toBuilder().approval(null).build();
    return gate == Gate.AFTER_PLAN
        ? move(approved, Trigger.APPROVE, now, Status.EXECUTING, Phase.EXECUTE)
        : move(approved, Trigger.APPROVE, now, Status.COMPLETED, Phase.REVIEW);
  }

  /** A person rejects the gate with a comment: the next iteration plans again with it. */
  public static CycleState reject(CycleState state, String comment, Instant now) {
    Gate gate = gateOf(state);
    FeedbackItem feedback =
        new FeedbackItem(comment, "approval " + gate, "rejected by a person at the gate");
    return nextIteration(
        state.toBuilder().approval(null).build(), Trigger.REJECT, List.of(feedback), now);
  }

  /**
   * A step's agent asked a person {@code text}: the cycle waits in NEEDS_INPUT, durably and with no
   * worker holding it, until {@link #answer}. The step stays unfinished (its record as the executor
   * last wrote it, with the agent's session), so that the answer continues it.
   */
  public static CycleState ask(
      CycleState state, String stepId, String text, String context, Instant now) {
    if (stepId == null || stepId.isBlank() || text == null || text.isBlank()) {
      throw AgentOsException.invalid("a question needs the asking step and its text");
    }
    PendingQuestion question =
        new PendingQuestion(
            stepId, PendingQuestion.bounded(text), PendingQuestion.bounded(context), now);
    return move(state, Trigger.ASK, now, Status.NEEDS_INPUT, Phase.EXECUTE).toBuilder()
        .question(question)
        .build();
  }

  /**
   * A person answered the question the cycle waits on: back to EXECUTE, where the step that asked
   * goes on (its agent's session resumed) with the question and the answer, which its record keeps.
   */
  public static CycleState answer(CycleState state, String answer, Instant now) {
    PendingQuestion question = state.question();
    if (state.status() != Status.NEEDS_INPUT || question == null) {
      throw new AgentOsException(
          ErrorCode.INVALID_TRANSITION,
          "cycle " + state.cycleId() + " is " + state.status() + ", not waiting for an answer");
    }
    requireAnswer(answer);
    AnsweredQuestion answered =
        new AnsweredQuestion(question.text(), question.context(), answer, question.askedAt(), now);
    Iteration current = state.currentIteration();
    Execution execution = current.executionOrEmpty();
    CycleState withAnswer =
        execution
            .step(question.stepId())
            .map(
                step ->
                    state.withCurrentIteration(
                        current.withExecution(execution.with(step.withAnswer(answered)))))
            .orElse(state);
    return move(withAnswer, Trigger.ANSWER, now, Status.EXECUTING, Phase.EXECUTE);
  }

  /** Refuses an empty answer or one longer than {@link PendingQuestion#MAX_CHARS}. */
  public static void requireAnswer(String answer) {
    if (answer == null || answer.isBlank()) {
      throw AgentOsException.invalid("the answer is empty; say what the agent should do");
    }
    if (answer.length() > PendingQuestion.MAX_CHARS) {
      throw AgentOsException.invalid(
          "the answer has "
              + answer.length()
              + " characters; the limit is "
              + PendingQuestion.MAX_CHARS
              + ". Put long content in the workspace and refer to it by path");
    }
  }

  /** Stops a cycle where it stands (a budget ran out); {@link #resume} continues it there. */
  public static CycleState pause(CycleState state, String reason, Instant now) {
    CycleState paused = move(state, Trigger.PAUSE, now, Status.PAUSED, state.phase());
    return paused.toBuilder().pauseReason(reason).build();
  }

  /** Continues a PAUSED or FAILED cycle at the phase it stopped in, with new limits if given. */
  public static CycleState resume(CycleState state, Budget budget, Instant now) {
    CycleState resumed =
        move(state, Trigger.RESUME, now, state.phase().runningStatus(), state.phase());
    return withCleared(resumed, budget);
  }

  /**
   * Re-runs the failed steps of the current iteration: back to EXECUTE with those steps forgotten,
   * so that the executor starts them afresh; completed steps stay done.
   */
  public static CycleState retry(CycleState state, Budget budget, Instant now) {
    Iteration current = state.currentIteration();
    if (current.plan() == null) {
      return withCleared(
          move(state, Trigger.RETRY, now, Status.PLANNING, Phase.PLAN).toBuilder().build(), budget);
    }
    List<StepRecord> kept = new ArrayList<>();
    for (StepRecord step : current.executionOrEmpty().steps()) {
      if (step.status() == StepStatus.COMPLETED) {
        kept.add(step);
      }
    }
    Iteration reset =
        new Iteration(
            current.number(),
            current.feedbackIn(),
            current.plan(),
            new Execution(List.copyOf(kept), current.executionOrEmpty().extra()),
            null,
            null,
            current.extra());
    CycleState retried =
        move(
            state.withCurrentIteration(reset), Trigger.RETRY, now, Status.EXECUTING, Phase.EXECUTE);
    return withCleared(retried, budget);
  }

  public static CycleState cancel(CycleState state, Instant now) {
    return closeRunningSteps(
        move(state, Trigger.CANCEL, now, Status.CANCELLED, state.phase()),
        "stopped: the cycle was cancelled",
        now);
  }

  /**
   * Fails the cycle. A step still RUNNING is closed as FAILED with the reason, so nothing stays
   * RUNNING in a cycle that ended; {@link #retry} runs it again.
   */
  public static CycleState fail(CycleState state, ErrorCode code, String message, Instant now) {
    CycleState failed =
        failed(move(state, Trigger.FAIL, now, Status.FAILED, state.phase()), code, message);
    return closeRunningSteps(failed, "stopped: " + code + ": " + message, now);
  }

  private static CycleState closeRunningSteps(CycleState state, String why, Instant now) {
    Iteration current = state.currentIteration();
    Execution execution = current.executionOrEmpty();
    Execution closed = execution;
    for (StepRecord step : execution.steps()) {
      if (step.status() == StepStatus.RUNNING) {
        closed = closed.with(step.finished(StepStatus.FAILED, now, why, null, null));
      }
    }
    return closed == execution ? state : state.withCurrentIteration(current.withExecution(closed));
  }

  // ---- the one move ---------------------------------------------------------------------------

  private static CycleState move(CycleState state, Trigger trigger, Instant now) {
    Phase phase = state.status().runningPhase().orElse(state.phase());
    Status target = trigger == Trigger.START ? Status.PLANNING : state.status();
    return move(state, trigger, now, target, phase);
  }

  private static CycleState move(
      CycleState state, Trigger trigger, Instant now, Status target, Phase phase) {
    if (!trigger.allows(state.status())) {
      throw new AgentOsException(
          ErrorCode.INVALID_TRANSITION,
          "cycle "
              + state.cycleId()
              + " is "
              + state.status()
              + "; "
              + trigger
              + " is only possible from "
              + trigger.allowedFrom());
    }
    boolean samePhaseRun = trigger == Trigger.START;
    // The phase's first hand-off id was used before: a new one gets past the duplicate window.
    boolean reEnqueue =
        trigger == Trigger.RESUME || trigger == Trigger.RETRY || trigger == Trigger.ANSWER;
    return state.toBuilder()
        .status(target)
        .phase(phase)
        .lease(samePhaseRun ? state.lease() : null)
        .approval(null)
        .question(null)
        .attempts(samePhaseRun ? state.attempts() : 0)
        .requeues(reEnqueue ? state.requeues() + 1 : state.requeues())
        .updatedAt(now)
        .build();
  }

  private static CycleState awaitApproval(
      CycleState state, Trigger trigger, Gate gate, Instant now) {
    return move(state, trigger, now, Status.AWAITING_APPROVAL, state.phase()).toBuilder()
        .approval(new PendingApproval(gate, now))
        .build();
  }

  private static CycleState nextIteration(
      CycleState state, Trigger trigger, List<FeedbackItem> feedback, Instant now) {
    int max = state.optionsOrDefaults().maxIterationsOrDefault();
    if (state.iteration() >= max) {
      CycleState stopped = move(state, trigger, now, Status.FAILED, state.phase());
      return failed(
          stopped,
          ErrorCode.MAX_ITERATIONS,
          "still not accepted after "
              + max
              + " iteration(s); raise options.max_iterations or fix what the feedback names");
    }
    int number = state.iteration() + 1;
    List<Iteration> iterations = new ArrayList<>(state.iterations());
    iterations.add(Iteration.next(number, feedback));
    return move(state, trigger, now, Status.PLANNING, Phase.PLAN).toBuilder()
        .iteration(number)
        .iterations(List.copyOf(iterations))
        .build();
  }

  private static CycleState failed(CycleState state, ErrorCode code, String message) {
    return state.toBuilder().error(new CycleError(state.phase(), code, message)).build();
  }

  private static CycleState withCleared(CycleState state, Budget budget) {
    CycleOptions options = state.optionsOrDefaults();
    return state.toBuilder()
        .error(null)
        .pauseReason(null)
        .options(budget == null ? options : options.withBudget(budget))
        .build();
  }

  private static Gate gateOf(CycleState state) {
    if (state.status() != Status.AWAITING_APPROVAL || state.approval() == null) {
      throw new AgentOsException(
          ErrorCode.INVALID_TRANSITION,
          "cycle " + state.cycleId() + " is " + state.status() + ", not waiting for an approval");
    }
    return state.approval().gate();
  }
}
