package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleState;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import io.nats.client.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Handles one delivery of a step's work item (a plan whose steps run in parallel), from claim to
 * settlement: claim the step with its own lease ({@link ParallelSteps#claim}), run it beside a
 * heartbeat that renews that lease, write its end, and then publish what its end made ready: the
 * steps that waited for it, or, on the write that found every step done, EXPRESS.
 *
 * <p>A failure of the step's work that a retry cannot mend (a budget spent, a branch that moved)
 * ends the step FAILED with the reason rather than the cycle: the steps that do not wait for it go
 * on, and Review sees why. A retryable failure gives the step back for a later delivery.
 */
final class StepDelivery {
  private static final Logger LOG = Logger.getLogger(StepDelivery.class);

  /** Past a lapsing lease's end before a kept item comes back: clocks of replicas differ a bit. */
  private static final Duration LAPSE_MARGIN = Duration.ofMillis(500);

  private final StepLogic logic;
  private final WorkerServices services;
  private final WorkerSettings settings;
  private final PhaseRun run;
  private final ConfirmedClaim claims;
  private final CyclesInFlight inFlight;
  private final BooleanSupplier takesWork;

  StepDelivery(
      StepLogic logic,
      WorkerServices services,
      WorkerSettings settings,
      PhaseRun run,
      CyclesInFlight inFlight,
      BooleanSupplier takesWork) {
    this.logic = logic;
    this.services = services;
    this.settings = settings;
    this.run = run;
    this.claims = new ConfirmedClaim(services.store());
    this.inFlight = inFlight;
    this.takesWork = takesWork;
  }

  void handle(Message message, WorkMessage work, String owner) {
    ConfirmedClaim.Decided decided;
    try {
      decided =
          claims.decide(
              work.cycleId(),
              state ->
                  claim(state, work.iteration(), work.stepId(), owner, services.clock().instant()));
    } catch (AgentOsException e) {
      LOG.warnf("cycle=%s step=%s cannot claim: %s", work.cycleId(), work.stepId(), e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    ClaimDecision d = decided.decision();
    if (d instanceof ClaimDecision.Stale stale) {
      LOG.debugf("cycle=%s step=%s stale: %s", work.cycleId(), work.stepId(), stale.reason());
      Optional<Instant> lapsing = lapsingLease(decided.current());
      if (lapsing.isPresent()) {
        // A step whose holder stopped renewing it, maybe the next link of a chain that ran under
        // this very item: kept until its lease has ended, then this item publishes it.
        Duration wait = Duration.between(services.clock().instant(), lapsing.get());
        message.nakWithDelay(wait.plus(LAPSE_MARGIN));
        return;
      }
      repairHandoff(decided.current());
      message.ack();
    } else if (d instanceof ClaimDecision.Busy busy) {
      Duration wait = Duration.between(services.clock().instant(), busy.until()).plusMillis(100);
      message.nakWithDelay(wait.isNegative() ? Duration.ZERO : wait);
    } else if (d instanceof ClaimDecision.Exhausted exhausted) {
      giveUp(message, work, exhausted.attempts(), decided.current());
    } else if (d instanceof ClaimDecision.Claimed) {
      // As for a phase: the message's AckWait starts again now, so that it outlives the lease.
      message.inProgress();
      Optional<Next> next =
          Optional.of(new Next(decided.current(), work.stepId(), Optional.empty()));
      while (next.isPresent()) {
        next = runClaimed(message, next.get(), owner);
      }
    }
  }

  /** {@link ParallelSteps#claim} with this worker's lease length, attempts and parallel limit. */
  private ClaimDecision claim(
      CycleState state, int iteration, String stepId, String owner, Instant now) {
    return ParallelSteps.claim(
        state,
        iteration,
        stepId,
        owner,
        settings.ackWait(),
        settings.maxAttempts(),
        logic.maxParallel(),
        now);
  }

  private Optional<Instant> lapsingLease(CycleStore.Versioned current) {
    return current == null
        ? Optional.empty()
        : ParallelSteps.lapsingLease(
            current.state(), services.clock().instant(), settings.heartbeatEvery());
  }

  /**
   * A step claimed to run now: by its own message, or, as the next link of a chain, by the worker
   * that ended the step it waits for ({@link #claimNextLink}), starting from that step's merge.
   */
  private record Next(CycleStore.Versioned claimed, String stepId, Optional<String> startAt) {
    /** Whether the step goes on from the step it waits for, under that step's work item. */
    boolean continuesAChain() {
      return startAt.isPresent();
    }
  }

  /**
   * Runs a claimed step to its end under {@code message}, and returns the step this worker goes on
   * with, if its end made one ready that waits for it alone.
   */
  private Optional<Next> runClaimed(Message message, Next next, String owner) {
    CycleStore.Versioned claimed = next.claimed();
    String stepId = next.stepId();
    // A chain's next link came with no delivery of its own: its first, whatever the item's count.
    long delivery = next.continuesAChain() ? 1 : message.metaData().deliveredCount();
    services.listener().claimed(claimed.state(), Phase.EXECUTE, delivery);
    inFlight.started(claimed.state().cycleId());
    ClaimedStep claim =
        new ClaimedStep(owner, claimed, stepId, next.startAt(), services, settings.storageWait());
    try {
      LOG.infof(
          "cycle=%s step=%s iteration=%d claimed by %s (attempt %d, %s)",
          claimed.state().cycleId(),
          stepId,
          claimed.state().iteration(),
          owner,
          claim.attempt(),
          next.continuesAChain()
              ? "after the step it waits for, from its merge"
              : "delivery " + delivery);
      services
          .events()
          .publish(claimed.state(), EventType.CLAIMED, owner + " step " + stepId, null);
      PhaseRun.Ending<StepRecord> ending =
          run.run(claim, message, Phase.EXECUTE, () -> logic.runStep(claim));
      if (ending instanceof PhaseRun.Ending.Done<StepRecord> done) {
        return end(message, claim, done.result());
      } else if (ending instanceof PhaseRun.Ending.Failed<StepRecord> failed) {
        return settleFailure(message, claim, failed.failure(), failed.cause());
      }
      return Optional.empty();
    } finally {
      claim.closeWorkspace();
      inFlight.ended(claimed.state().cycleId());
    }
  }

  /** Carries out what the failure policy decides for a failure of a claimed step. */
  private Optional<Next> settleFailure(
      Message message, ClaimedStep claim, Failure failure, Exception cause) {
    String cycleId = claim.state().cycleId();
    FailureDecision decision = FailurePolicy.inPhase(failure, claim.attempt(), settings);
    if (decision instanceof FailureDecision.StopCancelled) {
      LOG.infof("cycle=%s step=%s stopped: the cycle was cancelled", cycleId, claim.stepId());
      message.ack();
      return Optional.empty();
    } else if (decision instanceof FailureDecision.Abandon abandon) {
      LOG.warnf(
          "cycle=%s step=%s gave up its claim: %s", cycleId, claim.stepId(), abandon.reason());
      return Optional.empty();
    } else if (decision instanceof FailureDecision.RetryPhase retry) {
      LOG.warnf(
          cause,
          "cycle=%s step=%s attempt %d failed (%s: %s), retrying in %s",
          cycleId,
          claim.stepId(),
          claim.attempt(),
          failure.code(),
          retry.reason(),
          retry.after());
      try {
        claim.release();
      } catch (AgentOsException e) {
        LOG.warnf(
            "cycle=%s could not release step %s: %s", cycleId, claim.stepId(), e.getMessage());
      }
      services
          .events()
          .publish(
              claim.state(),
              EventType.RETRYING,
              "step " + claim.stepId() + ": " + failure.code() + ": " + retry.reason(),
              null);
      message.nakWithDelay(retry.after());
      return Optional.empty();
    } else {
      // A failure no retry mends (a budget, a moved branch, the work itself): the step fails for
      // Review, and the steps that do not wait for it go on.
      LOG.errorf(
          cause,
          "cycle=%s step=%s failed: %s %s",
          cycleId,
          claim.stepId(),
          failure.code(),
          failure.message());
      StepRecord running =
          claim
              .state()
              .currentIteration()
              .executionOrEmpty()
              .step(claim.stepId())
              .orElse(
                  StepRecord.started(claim.stepId(), claim.attempt(), services.clock().instant()));
      return end(
          message,
          claim,
          running.finished(
              StepStatus.FAILED,
              services.clock().instant(),
              failure.code() + ": " + failure.message(),
              null,
              null));
    }
  }

  /**
   * Writes the step's end, then goes on with the next link of its chain if there is one (the other
   * steps its end made ready are published), else publishes what it made ready and acks.
   */
  private Optional<Next> end(Message message, ClaimedStep claim, StepRecord ended) {
    CycleState before = claim.state();
    AtomicReference<String> goesOn = new AtomicReference<>();
    CycleStore.Versioned written;
    try {
      written = claim.end(ended, s -> claimNextLink(s, ended, claim.owner(), goesOn));
    } catch (AgentOsException e) {
      LOG.warnf(
          "cycle=%s step=%s end not written: %s", before.cycleId(), claim.stepId(), e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return Optional.empty();
    }
    CycleState after = written.state();
    services.faults().afterCommit(Phase.EXECUTE, before.cycleId());
    announce(before, after, claim.stepId());
    if (goesOn.get() == null) {
      publishNext(message, after);
      return Optional.empty();
    }
    try {
      repairHandoff(after); // the other steps the end made ready
    } catch (AgentOsException e) {
      // Published again at the end of the step this worker goes on with, or, should it die, by
      // the redelivery of this message.
      LOG.warnf("cycle=%s hand-off failed, will retry: %s", after.cycleId(), e.getMessage());
    }
    message.inProgress();
    return Optional.of(new Next(written, goesOn.get(), Optional.of(ended.workspaceRef())));
  }

  /**
   * Claims, in the very write that records {@code ended}, the next link of its chain ({@link
   * ParallelSteps#continuation}) for this worker, which runs it next under the same message: it
   * starts from the merge this worker just pushed, with no fetch and no hand-off through the queue,
   * and no other end can publish it in between. Its message is not published while it is held:
   * should this worker die, the redelivery of the message it runs under finds its step done and
   * publishes what is ready, this step once its lease ends. {@code goesOn} says which step, if any.
   */
  private CycleState claimNextLink(
      CycleState state, StepRecord ended, String owner, AtomicReference<String> goesOn) {
    goesOn.set(null); // the write may run this again on a newer state
    if (ended.status() != StepStatus.COMPLETED
        || ended.workspaceRef() == null
        || !takesWork.getAsBoolean()) {
      return state; // a worker that stops takes no new step: the queue hands it on
    }
    Instant now = services.clock().instant();
    Optional<String> link =
        ParallelSteps.continuation(state, ended.id(), logic.maxParallel(), now).map(PlanStep::id);
    if (link.isEmpty()) {
      return state;
    }
    if (claim(state, state.iteration(), link.get(), owner, now)
        instanceof ClaimDecision.Claimed claimed) {
      goesOn.set(link.get());
      return claimed.state();
    }
    return state;
  }

  /**
   * Gives up a step started {@code attempts} times without finishing: FAILED with the reason, and
   * what follows from that.
   */
  private void giveUp(Message message, WorkMessage work, int attempts, CycleStore.Versioned read) {
    String reason =
        "step "
            + work.stepId()
            + " was started "
            + attempts
            + " times without finishing (its replicas stopped each time)";
    CycleState before = read.state();
    CycleState after;
    try {
      after =
          services
              .store()
              .update(
                  read,
                  s ->
                      ParallelSteps.giveUp(
                          s, work.iteration(), work.stepId(), reason, services.clock().instant()))
              .state();
    } catch (AgentOsException e) {
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    LOG.errorf("cycle=%s %s", work.cycleId(), reason);
    announce(before, after, work.stepId());
    publishNext(message, after);
  }

  /** The events of the steps that ended with this write: the step itself, and those it blocked. */
  private void announce(CycleState before, CycleState after, String stepId) {
    for (StepRecord record : after.currentIteration().executionOrEmpty().steps()) {
      Optional<StepRecord> was = before.currentIteration().executionOrEmpty().step(record.id());
      boolean endedNow =
          record.status().isDone() && (was.isEmpty() || !was.get().status().isDone());
      if (endedNow && (record.id().equals(stepId) || record.status() == StepStatus.SKIPPED)) {
        services.listener().stepFinished(after, record);
        services.events().publish(after, EventType.STEP_FINISHED, record.endNote(), null);
      }
    }
    if (after.status() != before.status()) {
      LOG.infof(
          "cycle=%s iteration=%d EXECUTE -> %s (fan-in by step %s)",
          after.cycleId(), after.iteration(), after.status(), stepId);
      services.events().publish(after, EventType.TRANSITION, Phase.EXECUTE + " done", null);
      services.ended().accept(after);
    }
  }

  /** The work that follows a step's end: the next ready steps, or EXPRESS after the last. */
  private void publishNext(Message message, CycleState after) {
    try {
      repairHandoff(after);
    } catch (AgentOsException e) {
      // The end is written: the redelivery of this message finds the step done and publishes.
      LOG.warnf("cycle=%s hand-off failed, will retry: %s", after.cycleId(), e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    message.ack();
  }

  /**
   * Publishes what {@code state} waits for: its ready steps while it executes in parallel, else its
   * next phase's hand-off when nobody holds it. Message ids make a repeat harmless.
   */
  private void repairHandoff(CycleStore.Versioned current) {
    if (current != null) {
      repairHandoff(current.state());
    }
  }

  private void repairHandoff(CycleState state) {
    if (state.status() == Status.EXECUTING && ParallelSteps.fansOut(state)) {
      services.handoff().publishSteps(state, logic.maxParallel(), services.clock().instant());
    } else {
      services.handoff().ensureEnqueued(state);
    }
  }
}
