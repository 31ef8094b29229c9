package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Transitions;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Handles one delivery of a work message, from claim to settlement: read the message, claim the
 * phase with compare-and-set, run the logic, and settle the outcome or the failure. A delivery that
 * cannot be claimed is dropped (stale), postponed (another worker holds the phase) or ends the
 * cycle (the phase was started too often).
 */
final class WorkDelivery {
  private static final Logger LOG = Logger.getLogger(WorkDelivery.class);

  /**
   * How many deliveries of a message the state has not reached may wait, and how long each waits:
   * long enough for a just-elected stream leader to apply its log, short next to the reconciler.
   */
  static final int AHEAD_WAITS = 2;

  static final Duration AHEAD_WAIT = Duration.ofSeconds(1);

  private final Phase phase;
  private final WorkerServices services;
  private final WorkerSettings settings;
  private final PhaseLogic logic;
  private final PhaseRun run;
  private final StepDelivery steps; // null for a role whose phase has no parallel steps
  private final Settlement settlement;
  private final ConfirmedClaim claims;
  private final CyclesInFlight inFlight = new CyclesInFlight();

  /** {@code takesWork}: whether the worker still takes new work (false once it stops). */
  WorkDelivery(
      PhaseLogic logic,
      WorkerServices services,
      WorkerSettings settings,
      PhaseRun run,
      BooleanSupplier takesWork) {
    this.phase = logic.phase();
    this.services = services;
    this.settings = settings;
    this.logic = logic;
    this.run = run;
    this.steps =
        logic instanceof StepLogic stepLogic
            ? new StepDelivery(stepLogic, services, settings, run, inFlight, takesWork)
            : null;
    this.settlement = new Settlement(phase, services, settings);
    this.claims = new ConfirmedClaim(services.store());
  }

  /** The cycles this process works on right now. */
  Set<String> inFlight() {
    return inFlight.cycles();
  }

  /** Handles {@code message} as the lease owner {@code owner} (a worker thread). */
  void handle(Message message, String owner) {
    WorkMessage work;
    try {
      work = Json.read(message.getData(), WorkMessage.class);
    } catch (AgentOsException e) {
      LOG.errorf("%s terminates an unreadable work message: %s", owner, e.getMessage());
      message.term();
      return;
    }
    if (work.phase() != phase || work.cycleId() == null) {
      LOG.errorf("%s terminates a work message for %s", owner, work.phase());
      message.term();
      return;
    }
    if (work.stepId() != null && steps == null) {
      LOG.errorf("%s terminates a step's work message: %s runs no steps", owner, phase);
      message.term();
      return;
    }
    services
        .tracing()
        .inSpan(
            "agentos." + phase.token(),
            message.getHeaders(),
            work.cycleId(),
            () -> {
              if (work.stepId() != null) {
                steps.handle(message, work, owner);
              } else {
                claimAndRun(message, work, owner);
              }
              return null;
            });
  }

  private void claimAndRun(Message message, WorkMessage work, String owner) {
    ConfirmedClaim.Decided decided;
    try {
      decided =
          claims.decide(
              work.cycleId(),
              state ->
                  Transitions.claim(
                      state,
                      work.iteration(),
                      phase,
                      owner,
                      settings.ackWait(),
                      settings.maxAttempts(),
                      services.clock().instant()));
    } catch (AgentOsException e) {
      LOG.warnf("cycle=%s phase=%s cannot claim: %s", work.cycleId(), phase, e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    CycleStore.Versioned current = decided.current();
    ClaimDecision d = decided.decision();
    if (d instanceof ClaimDecision.Stale stale) {
      dropOrWait(message, work, decided, stale);
    } else if (d instanceof ClaimDecision.Busy busy) {
      Duration wait = Duration.between(services.clock().instant(), busy.until()).plusMillis(100);
      message.nakWithDelay(wait.isNegative() ? Duration.ZERO : wait);
    } else if (d instanceof ClaimDecision.Exhausted exhausted) {
      String reason =
          phase + " was started " + exhausted.attempts() + " times without finishing (MaxDeliver)";
      settlement.failCycle(
          message,
          work.cycleId(),
          new FailureDecision.FailCycle(ErrorCode.MAX_DELIVER_EXHAUSTED, reason, true));
    } else if (d instanceof ClaimDecision.Claimed) {
      // The lease was written after the delivery: restart the message's AckWait now, so that the
      // message outlives the lease. Were it the other way round, the redelivery after a crash would
      // find the dead worker's lease still live and spend a delivery on a Busy nak.
      message.inProgress();
      services.listener().claimed(current.state(), phase, message.metaData().deliveredCount());
      inFlight.started(work.cycleId());
      try {
        runClaimed(message, current, owner);
      } finally {
        inFlight.ended(work.cycleId());
      }
    }
  }

  /**
   * A message the state does not match. Dropped when the stream leader confirmed the state and it
   * has reached or passed the message (a duplicate, or the cycle moved on); given a short wait when
   * the state could not be confirmed, or has not reached the message yet (see {@link
   * ConfirmedClaim#behind}), but only for its first deliveries: a message that stays ahead is stale
   * for good and must not use up the deliveries of the phase.
   */
  private void dropOrWait(
      Message message,
      WorkMessage work,
      ConfirmedClaim.Decided decided,
      ClaimDecision.Stale stale) {
    CycleState state = decided.current() == null ? null : decided.current().state();
    long delivery = message.metaData().deliveredCount();
    boolean mayWait = delivery <= AHEAD_WAITS && delivery < settings.maxAttempts();
    if (mayWait && (!decided.confirmed() || ConfirmedClaim.behind(state, work))) {
      LOG.infof(
          "cycle=%s phase=%s iteration=%d not reached yet (%s, %s by the stream leader):"
              + " looking again in %s",
          work.cycleId(),
          phase,
          work.iteration(),
          stale.reason(),
          decided.confirmed() ? "confirmed" : "not confirmed",
          AHEAD_WAIT);
      message.nakWithDelay(AHEAD_WAIT);
      return;
    }
    if (state == null) {
      LOG.warnf(
          "cycle=%s phase=%s dropping work for a cycle that does not exist", work.cycleId(), phase);
    } else {
      LOG.debugf("cycle=%s phase=%s stale message: %s", work.cycleId(), phase, stale.reason());
      services.handoff().ensureEnqueued(state);
    }
    message.ack();
  }

  private void runClaimed(Message message, CycleStore.Versioned claimed, String owner) {
    CycleState state = claimed.state();
    long started = System.nanoTime();
    LOG.infof(
        "cycle=%s phase=%s iteration=%d claimed by %s (attempt %d, delivery %d)",
        state.cycleId(),
        phase,
        state.iteration(),
        owner,
        state.attempts(),
        message.metaData().deliveredCount());
    services.events().publish(state, EventType.CLAIMED, owner, null);
    // The workspace is made ready by the logic's first use of it, under the heartbeat: a long
    // fetch keeps the lease, a stop interrupts it, and its failures go through the policy.
    ClaimedPhase claim = new ClaimedPhase(phase, owner, claimed, services, settings.storageWait());
    try {
      settle(message, claim, run.run(claim, message, phase, () -> logic.run(claim)), started);
    } finally {
      claim.closeWorkspace();
    }
  }

  private void settle(
      Message message, ClaimedPhase claim, PhaseRun.Ending<PhaseOutcome> ending, long started) {
    if (ending instanceof PhaseRun.Ending.Done<PhaseOutcome> done) {
      settlement.commit(message, claim, done.result(), started);
    } else if (ending instanceof PhaseRun.Ending.Failed<PhaseOutcome> failed) {
      Failure failure = failed.failure();
      settlement.settle(
          message,
          claim,
          failure,
          FailurePolicy.inPhase(failure, claim.attempt(), settings),
          failed.cause());
    }
  }
}
