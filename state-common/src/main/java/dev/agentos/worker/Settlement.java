package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.EventType;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.Transitions;
import io.nats.client.Message;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Settles a delivery once its phase ended: commits an outcome with its transition and hands off to
 * the next phase, or carries out what the failure policy decided. The last thing it does with a
 * message is the ack, nak or term that fits, so a crash anywhere before that leaves the message to
 * be redelivered.
 */
final class Settlement {
  private static final Logger LOG = Logger.getLogger(Settlement.class);

  private final Phase phase;
  private final WorkerServices services;
  private final WorkerSettings settings;

  Settlement(Phase phase, WorkerServices services, WorkerSettings settings) {
    this.phase = phase;
    this.services = services;
    this.settings = settings;
  }

  /** Writes the outcome and its transition, hands off to the next phase, and acks. */
  void commit(Message message, ClaimedPhase claim, PhaseOutcome outcome, long startedNanos) {
    String cycleId = claim.state().cycleId();
    int iteration = claim.state().iteration();
    CycleState committed;
    try {
      committed =
          claim.write(s -> Commit.apply(s, phase, outcome, services.clock().instant())).state();
    } catch (AgentOsException e) {
      Failure failure = Failure.of(e).after(claim.stopReason());
      if (outcome instanceof PhaseOutcome.Paused && failure.code() == ErrorCode.STORAGE_FULL) {
        // Not even the pause fits: the message comes back later to pause (or go on) then.
        LOG.warnf("cycle=%s phase=%s cannot pause yet: %s", cycleId, phase, e.getMessage());
        message.nakWithDelay(settings.retryDelay(claim.attempt()));
        return;
      }
      settle(message, claim, failure, FailurePolicy.inPhase(failure, claim.attempt(), settings), e);
      return;
    }
    services.faults().afterCommit(phase, cycleId);
    services
        .listener()
        .phaseCommitted(committed, phase, Duration.ofNanos(System.nanoTime() - startedNanos));
    LOG.infof(
        "cycle=%s phase=%s iteration=%d -> %s", cycleId, phase, iteration, committed.status());
    if (committed.status() == Status.NEEDS_INPUT) {
      services
          .events()
          .publish(committed, EventType.TRANSITION, "waiting for a person's answer", null);
      services.events().questionAsked(committed);
    } else if (!(outcome instanceof PhaseOutcome.FansOut)
        || committed.status() != Status.EXECUTING) {
      services.events().publish(committed, EventType.TRANSITION, phase + " done", null);
    }
    services.ended().accept(committed);
    try {
      if (outcome instanceof PhaseOutcome.FansOut fan && committed.status() == Status.EXECUTING) {
        List<WorkMessage> sent =
            services
                .handoff()
                .publishSteps(committed, fan.maxParallel(), services.clock().instant());
        LOG.infof(
            "cycle=%s EXECUTE runs its steps in parallel: published %s",
            cycleId, sent.stream().map(WorkMessage::stepId).toList());
      } else {
        services.handoff().publish(committed);
      }
    } catch (AgentOsException e) {
      // The state moved on but the next phase was not told: the redelivery of this message finds
      // it stale and sends the hand-off again.
      LOG.warnf(
          "cycle=%s phase=%s hand-off failed, will retry: %s", cycleId, phase, e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    message.ack();
  }

  /** Carries out the failure policy's decision about {@code failure} of the claimed phase. */
  void settle(
      Message message,
      ClaimedPhase claim,
      Failure failure,
      FailureDecision decision,
      Exception cause) {
    CycleState state = claim.state();
    String cycleId = state.cycleId();
    if (decision instanceof FailureDecision.StopCancelled) {
      LOG.infof("cycle=%s phase=%s stopped: the cycle was cancelled", cycleId, phase);
      message.ack();
    } else if (decision instanceof FailureDecision.Abandon abandon) {
      LOG.warnf("cycle=%s phase=%s gave up its claim: %s", cycleId, phase, abandon.reason());
    } else if (decision instanceof FailureDecision.StopOnBudget budget) {
      commit(message, claim, new PhaseOutcome.BudgetExhausted(budget.reason()), System.nanoTime());
    } else if (decision instanceof FailureDecision.PauseCycle pause) {
      LOG.warnf("cycle=%s phase=%s pauses: %s", cycleId, phase, pause.reason());
      commit(message, claim, new PhaseOutcome.Paused(pause.reason()), System.nanoTime());
    } else if (decision instanceof FailureDecision.RetryPhase retry) {
      services.listener().phaseFailed(state, phase, failure.code(), true);
      LOG.warnf(
          cause,
          "cycle=%s phase=%s iteration=%d attempt %d failed (%s: %s), retrying in %s",
          cycleId,
          phase,
          state.iteration(),
          state.attempts(),
          failure.code(),
          retry.reason(),
          retry.after());
      try {
        claim.releaseLease();
      } catch (AgentOsException e) {
        LOG.warnf("cycle=%s could not release its lease: %s", cycleId, e.getMessage());
      }
      services
          .events()
          .publish(state, EventType.RETRYING, failure.code() + ": " + retry.reason(), null);
      message.nakWithDelay(retry.after());
    } else if (decision instanceof FailureDecision.FailCycle fail) {
      services.listener().phaseFailed(state, phase, fail.code(), false);
      LOG.errorf(
          cause, "cycle=%s phase=%s failed: %s %s", cycleId, phase, fail.code(), fail.reason());
      failCycle(message, cycleId, fail);
    } else {
      throw new IllegalStateException("a phase cannot settle a step's decision: " + decision);
    }
  }

  /**
   * Fails the cycle (unless it already ended), parks the message in the DLQ when the decision says
   * so, and terminates it. If the failure cannot be written, the message comes back to try again.
   */
  void failCycle(Message message, String cycleId, FailureDecision.FailCycle fail) {
    try {
      CycleState failed =
          services
              .store()
              .update(
                  cycleId,
                  s ->
                      s.status().isFinal()
                          ? s
                          : Transitions.fail(
                              s, fail.code(), fail.reason(), services.clock().instant()))
              .state();
      services
          .events()
          .publish(failed, EventType.TRANSITION, fail.code() + ": " + fail.reason(), null);
      services.ended().accept(failed);
    } catch (AgentOsException e) {
      LOG.errorf("cycle=%s could not be marked FAILED: %s", cycleId, e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    if (fail.deadLetter()) {
      services.deadLetters().park(message, phase, cycleId, fail.code() + ": " + fail.reason());
    }
    message.term();
  }
}
