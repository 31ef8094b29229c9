package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.PullLoop;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.CycleState;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.Transitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Deals with the work messages of one role that JetStream stopped delivering after MaxDeliver. A
 * worker that crashes on every delivery never gets to fail the cycle itself, and on a WorkQueue
 * stream the message would stay in the stream for good. For each advisory it decides, with
 * compare-and-set on the cycle:
 *
 * <ul>
 *   <li>the cycle moved on, finished, or another delivery holds a live lease: the message is a
 *       leftover and is deleted;
 *   <li>the phase was started {@code maxAttempts} times: the cycle is FAILED with
 *       MAX_DELIVER_EXHAUSTED and the message moves to {@code AGENTOS_DLQ};
 *   <li>fewer starts than that (deliveries went to duplicates or to an outage): the cycle is
 *       enqueued again with a fresh message, and the old one is deleted.
 * </ul>
 */
final class MaxDeliveries implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MaxDeliveries.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private enum Verdict {
    LEFTOVER,
    FAILED,
    REQUEUED
  }

  private final Phase phase;
  private final CycleStore store;
  private final Handoff handoff;
  private final Events events;
  private final DeadLetters deadLetters;
  private final int maxAttempts;
  private final Clock clock;
  private PullLoop loop;

  MaxDeliveries(Phase phase, WorkerServices services, int maxAttempts) {
    this.phase = phase;
    this.store = services.store();
    this.handoff = services.handoff();
    this.events = services.events();
    this.deadLetters = services.deadLetters();
    this.maxAttempts = maxAttempts;
    this.clock = services.clock();
  }

  void start() {
    loop =
        PullLoop.start(
            "agentos-" + phase.role() + "-max-deliveries",
            wait -> deadLetters.nextExhausted(phase, wait),
            this::handle);
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
  }

  void handle(DeadLetters.Exhausted exhausted) {
    if (exhausted.original().isEmpty()) {
      exhausted.advisory().ack(); // acked or removed since: nothing is stuck
      return;
    }
    WorkMessage work;
    try {
      work = Json.read(exhausted.original().get().getData(), WorkMessage.class);
    } catch (AgentOsException e) {
      LOG.errorf("phase=%s parks an unreadable work message: %s", phase, e.getMessage());
      deadLetters.park(exhausted, phase, "?", "unreadable work message: " + e.getMessage());
      exhausted.advisory().ack();
      return;
    }
    try {
      decide(exhausted, work);
      exhausted.advisory().ack();
    } catch (AgentOsException e) {
      LOG.warnf(
          "cycle=%s phase=%s MaxDeliver advisory not handled yet: %s",
          work.cycleId(), phase, e.getMessage());
      exhausted.advisory().nakWithDelay(RETRY);
    }
  }

  private void decide(DeadLetters.Exhausted exhausted, WorkMessage work) {
    AtomicReference<Verdict> verdict = new AtomicReference<>(Verdict.LEFTOVER);
    String reason =
        phase
            + " was delivered "
            + exhausted.deliveries()
            + " times without finishing (MaxDeliver); its worker died on each";
    // A verdict that deletes the message (a leftover, or no such cycle) is confirmed by the
    // stream leader: on a lagging replica's read the cycle could look missing or still in an
    // earlier phase, and its only message would be deleted.
    LeaderConfirmedUpdate.Outcome outcome =
        LeaderConfirmedUpdate.update(
            store,
            work.cycleId(),
            s -> {
              Instant now = clock.instant();
              verdict.set(Verdict.LEFTOVER);
              if (failedHere(s, work)) {
                verdict.set(Verdict.FAILED); // failed before, but the message was not parked
                return s;
              }
              if (!waitsFor(s, work, now)) {
                return s;
              }
              if (s.attempts() >= maxAttempts) {
                verdict.set(Verdict.FAILED);
                return Transitions.fail(s, ErrorCode.MAX_DELIVER_EXHAUSTED, reason, now);
              }
              verdict.set(Verdict.REQUEUED);
              return Transitions.requeue(s, now);
            },
            read -> read == null || verdict.get() == Verdict.LEFTOVER);
    if (!outcome.confirmed()) {
      throw new AgentOsException(
          ErrorCode.CONFLICT,
          "the cycle kept changing under "
              + LeaderConfirmedUpdate.ROUNDS
              + " reads from the stream leader; deciding again later");
    }
    if (outcome.current() == null) {
      deadLetters.discard(exhausted);
      return;
    }
    CycleState next = outcome.current().state();
    switch (verdict.get()) {
      case FAILED -> {
        LOG.errorf(
            "cycle=%s phase=%s iteration=%d failed: %s",
            work.cycleId(), phase, work.iteration(), reason);
        deadLetters.park(
            exhausted, phase, work.cycleId(), ErrorCode.MAX_DELIVER_EXHAUSTED + ": " + reason);
        events.publish(
            next, EventType.TRANSITION, ErrorCode.MAX_DELIVER_EXHAUSTED + ": " + reason, null);
        events.publish(next, EventType.DEAD_LETTERED, reason, null);
      }
      case REQUEUED -> {
        LOG.warnf(
            "cycle=%s phase=%s iteration=%d re-enqueued: its message reached MaxDeliver after"
                + " %d start(s)",
            work.cycleId(), phase, work.iteration(), next.attempts());
        handoff.publish(next);
        deadLetters.discard(exhausted);
        events.publish(
            next, EventType.REQUEUED, "work message reached MaxDeliver; re-enqueued", null);
      }
      case LEFTOVER -> deadLetters.discard(exhausted);
    }
  }

  private static boolean failedHere(CycleState s, WorkMessage work) {
    return s.status() == dev.agentos.state.Status.FAILED
        && s.error() != null
        && s.error().code() == ErrorCode.MAX_DELIVER_EXHAUSTED
        && s.phase() == work.phase()
        && s.iteration() == work.iteration();
  }

  /**
   * Whether the cycle still waits for this very work and nobody is working on it. A step's item
   * whose step another worker holds is a duplicate that spent its deliveries waiting (the holder
   * renews its lease for as long as the agent runs): a leftover, not a reason to start the phase
   * again and spend one of the cycle's attempts.
   */
  private static boolean waitsFor(CycleState s, WorkMessage work, Instant now) {
    boolean samePhase =
        !s.status().isFinal()
            && s.status().runningPhase().isPresent()
            && s.phase() == work.phase()
            && s.iteration() == work.iteration();
    boolean leased =
        (s.lease() != null && s.lease().isLiveAt(now))
            || (work.stepId() != null && ParallelSteps.stepLeased(s, work.stepId(), now));
    return samePhase && !leased;
  }
}
