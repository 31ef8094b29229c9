package dev.agentos.worker;

import dev.agentos.api.CycleEndings;
import dev.agentos.concurrent.Periodic;
import dev.agentos.error.AgentOsException;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.SettledCycles;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.Transitions;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Finds running cycles nobody works on and whose work message is gone, and enqueues them again, so
 * that no cycle is ever stuck silently. Every service runs one; the compare-and-set on {@code
 * requeues} makes concurrent sweeps agree on a single re-enqueue.
 *
 * <p>A cycle counts as orphaned when its lease has expired (or it has none), it has not changed for
 * {@code staleAfter}, and its phase's consumer has nothing pending or in flight (so its message
 * cannot be waiting in the queue). Under constant load a queue is never empty, so a cycle that has
 * not changed for {@code orphanAfter} is re-enqueued regardless; a duplicate message is harmless.
 *
 * <p>An ended cycle is read until its ending is recorded, then settled ({@link CycleStore#settle})
 * and never read again ({@link SettledCycles}): with 100 000 ended cycles in the bucket a sweep
 * that read them took 21.6 s and read 15 000 FAILED cycles each time.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Reconciler.class);

  private final CycleStore store;
  private final Handoff handoff;
  private final Events events;
  private final JetStreamManagement jsm;
  private final Duration interval;
  private final Duration staleAfter;
  private final Duration orphanAfter;
  private final Clock clock;
  private final CycleEndings endings;
  private final Set<String> endingsHandled = ConcurrentHashMap.newKeySet();
  private volatile CycleRetention retention;
  private volatile SettledCycles index;

  private volatile Periodic sweeps;

  public Reconciler(
      CycleStore store,
      Handoff handoff,
      Events events,
      JetStreamManagement jsm,
      Duration interval,
      Duration staleAfter,
      Duration orphanAfter,
      CycleEndings endings,
      Clock clock) {
    this.endings = endings;
    this.store = store;
    this.handoff = handoff;
    this.events = events;
    this.jsm = jsm;
    this.interval = interval;
    this.staleAfter = staleAfter;
    this.orphanAfter = orphanAfter;
    this.clock = clock;
  }

  /** Also removes ended cycles past their retention period (their history stays). */
  public Reconciler retaining(CycleRetention value) {
    retention = value;
    return this;
  }

  /**
   * Reads only the cycles {@code value} does not know as settled (ended, ending recorded), and
   * settles each ended cycle it reads once its ending is recorded. Without it, or until it has
   * loaded the bucket's keys, every cycle is read. Closed with this reconciler.
   */
  public Reconciler indexedBy(SettledCycles value) {
    index = value;
    return this;
  }

  public void start() {
    sweeps =
        Periodic.start(
            "agentos-reconciler",
            interval,
            this::logRequeued,
            e ->
                LOG.warnf("reconciler sweep failed, next one in %s: %s", interval, e.getMessage()));
  }

  @Override
  public void close() {
    Periodic running = sweeps;
    if (running != null) {
      running.close();
    }
    SettledCycles current = index;
    if (current != null) {
      current.close();
    }
  }

  private void logRequeued() {
    int requeued = sweep();
    if (requeued > 0) {
      LOG.infof("reconciler re-enqueued %d orphaned cycle(s)", requeued);
    }
  }

  /** One sweep; returns how many cycles it re-enqueued. */
  public int sweep() {
    Map<Phase, Boolean> idle = new EnumMap<>(Phase.class);
    int requeued = 0;
    for (String cycleId : unsettledCycleIds()) {
      Optional<CycleStore.Versioned> found = store.get(cycleId);
      if (found.isEmpty()) {
        continue;
      }
      CycleState state = found.get().state();
      if (state.status().isFinal()) {
        settle(found.get());
        continue;
      }
      Optional<Phase> phase = state.status().runningPhase();
      if (phase.isEmpty() || !looksOrphaned(state, clock.instant())) {
        continue;
      }
      boolean longQuiet = quietFor(state, orphanAfter, clock.instant());
      if (!longQuiet && !idle.computeIfAbsent(phase.get(), this::consumerIdle)) {
        continue;
      }
      if (requeue(cycleId)) {
        requeued++;
      }
    }
    return requeued;
  }

  /**
   * The cycles a sweep reads: every one not known as settled, and the settled ones that ended long
   * enough ago for retention to remove them (read once, then gone).
   */
  private List<String> unsettledCycleIds() {
    SettledCycles current = index;
    if (current == null) {
      return store.cycleIds();
    }
    if (!current.loaded()) {
      // Reading every cycle meanwhile would settle again those settled already: wait for it.
      LOG.infof("reconciler sweep skipped: the cycles bucket's keys are still being loaded");
      return List.of();
    }
    CycleRetention removing = retention;
    Instant now = clock.instant();
    List<String> ids = new ArrayList<>();
    current.forEach(
        (cycleId, settledAt) -> {
          if (settledAt == null || (removing != null && removing.due(settledAt, now))) {
            ids.add(cycleId);
          }
        });
    return ids;
  }

  /**
   * An ended cycle: records its ending if a crash kept it from being recorded, removes it if its
   * retention period has passed, and otherwise settles it so that no sweep reads it again.
   */
  private void settle(CycleStore.Versioned cycle) {
    if (!finishEnding(cycle.state()) || expired(cycle) || index == null) {
      return;
    }
    try {
      if (store.settle(cycle)) {
        endingsHandled.remove(endingKey(cycle.state())); // never read again while it stays so
      }
    } catch (AgentOsException e) {
      LOG.warnf(
          "cycle=%s could not be settled, next sweep reads it again: %s",
          cycle.state().cycleId(), e.getMessage());
    }
  }

  /**
   * An ended cycle whose history (and next chain link) a crash kept from being written. Each
   * process checks an ended cycle once; after that it is known to be handled. Returns whether the
   * ending is recorded.
   */
  private boolean finishEnding(CycleState state) {
    // Keyed by the ending, not the cycle: a cycle resumed after it ended ends again later.
    String ending = endingKey(state);
    if (endings == null || endingsHandled.contains(ending)) {
      return true;
    }
    try {
      if (endings.pending(state)) {
        LOG.infof("cycle=%s recording its ending, which was not recorded yet", state.cycleId());
        if (!endings.ended(state)) {
          return false; // logged by ended(); still pending, so the next sweep tries again
        }
      }
      if (!endings.pending(state)) {
        endingsHandled.add(ending);
        return true;
      }
      return false;
    } catch (AgentOsException e) {
      // The history bucket cannot be read: the other cycles of this sweep still get their turn.
      LOG.warnf(
          "cycle=%s could not check whether its ending is recorded, next sweep tries again: %s",
          state.cycleId(), e.getMessage());
      return false;
    }
  }

  /** Removes an ended cycle past retention once its ending (the history record) is written. */
  private boolean expired(CycleStore.Versioned cycle) {
    CycleRetention current = retention;
    CycleState state = cycle.state();
    if (current == null || !current.due(state, clock.instant())) {
      return false;
    }
    return current.remove(cycle);
  }

  private static String endingKey(CycleState state) {
    return state.cycleId() + "@" + state.updatedAt();
  }

  /**
   * Re-enqueues {@code cycleId}, which the sweep's read found orphaned, if it still is. A re-read
   * that finds it not orphaned (or missing) disagrees with the sweep's: that is confirmed through
   * the stream leader, so that a lagging replica cannot leave an orphan where it is.
   */
  boolean requeue(String cycleId) {
    boolean[] changed = {false};
    try {
      LeaderConfirmedUpdate.Outcome outcome =
          LeaderConfirmedUpdate.update(
              store,
              cycleId,
              s -> {
                Instant now = clock.instant();
                if (s.status().runningPhase().isEmpty() || !looksOrphaned(s, now)) {
                  changed[0] = false;
                  return s;
                }
                changed[0] = true;
                return Transitions.requeue(s, now);
              },
              read -> read == null || !changed[0]);
      if (outcome.current() != null && changed[0]) {
        CycleState next = outcome.current().state();
        LOG.infof(
            "cycle=%s phase=%s iteration=%d re-enqueued by the reconciler",
            cycleId, next.phase(), next.iteration());
        events.publish(next, EventType.REQUEUED, "no worker held it; re-enqueued", null);
        handoff.publish(next);
        return true;
      }
      return false;
    } catch (AgentOsException e) {
      LOG.warnf("cycle=%s could not be re-enqueued: %s", cycleId, e.getMessage());
      return false;
    }
  }

  private boolean looksOrphaned(CycleState state, Instant now) {
    boolean unleased =
        (state.lease() == null || !state.lease().isLiveAt(now))
            && !ParallelSteps.anyStepLeased(state, now);
    return unleased && quietFor(state, staleAfter, now);
  }

  private static boolean quietFor(CycleState state, Duration quiet, Instant now) {
    return state.updatedAt() == null || state.updatedAt().plus(quiet).isBefore(now);
  }

  private boolean consumerIdle(Phase phase) {
    try {
      ConsumerInfo info = jsm.getConsumerInfo(Topology.WORK_STREAM, Topology.consumer(phase));
      return info.getNumPending() == 0 && info.getNumAckPending() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
