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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Handles one delivery of a work message, from claim to settlement: read the message, claim the
 * phase with compare-and-set, run the logic, and settle the outcome or the failure. A delivery that
 * cannot be claimed is dropped (stale), postponed (another worker holds the phase) or ends the
 * cycle (the phase was started too often).
 */
final class WorkDelivery {
  private static final Logger LOG = Logger.getLogger(WorkDelivery.class);

  private final Phase phase;
  private final WorkerServices services;
  private final WorkerSettings settings;
  private final PhaseRun run;
  private final Settlement settlement;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  WorkDelivery(Phase phase, WorkerServices services, WorkerSettings settings, PhaseRun run) {
    this.phase = phase;
    this.services = services;
    this.settings = settings;
    this.run = run;
    this.settlement = new Settlement(phase, services, settings);
  }

  /** The cycles this process works on right now. */
  Set<String> inFlight() {
    return Set.copyOf(inFlight);
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
    services
        .tracing()
        .inSpan(
            "agentos." + phase.token(),
            message.getHeaders(),
            work.cycleId(),
            () -> {
              claimAndRun(message, work, owner);
              return null;
            });
  }

  private void claimAndRun(Message message, WorkMessage work, String owner) {
    AtomicReference<ClaimDecision> decision = new AtomicReference<>();
    CycleStore.Versioned current;
    try {
      current =
          services.store().update(work.cycleId(), state -> claim(state, work, owner, decision));
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        LOG.warnf(
            "cycle=%s phase=%s dropping work for a cycle that does not exist",
            work.cycleId(), phase);
        message.ack();
      } else {
        LOG.warnf("cycle=%s phase=%s cannot claim: %s", work.cycleId(), phase, e.getMessage());
        message.nakWithDelay(settings.retryDelay(1));
      }
      return;
    }
    ClaimDecision d = decision.get();
    if (d instanceof ClaimDecision.Stale stale) {
      LOG.debugf("cycle=%s phase=%s stale message: %s", work.cycleId(), phase, stale.reason());
      services.handoff().ensureEnqueued(current.state());
      message.ack();
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
      inFlight.add(work.cycleId());
      try {
        runClaimed(message, current, owner);
      } finally {
        inFlight.remove(work.cycleId());
      }
    }
  }

  private CycleState claim(
      CycleState state, WorkMessage work, String owner, AtomicReference<ClaimDecision> decision) {
    ClaimDecision d =
        Transitions.claim(
            state,
            work.iteration(),
            phase,
            owner,
            settings.ackWait(),
            settings.maxAttempts(),
            services.clock().instant());
    decision.set(d);
    return d instanceof ClaimDecision.Claimed claimed ? claimed.state() : state;
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
      settle(message, claim, run.run(claim, message), started);
    } finally {
      claim.closeWorkspace();
    }
  }

  private void settle(Message message, ClaimedPhase claim, PhaseRun.Ending ending, long started) {
    if (ending instanceof PhaseRun.Ending.Outcome done) {
      settlement.commit(message, claim, done.outcome(), started);
    } else if (ending instanceof PhaseRun.Ending.Failed failed) {
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
