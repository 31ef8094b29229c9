package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * A compare-and-set update of a cycle whose decision to leave work undone is only kept when the
 * stream leader confirms the state it was made on.
 *
 * <p>A KV read on a cluster may be answered by a replica that has not applied the latest writes
 * (see {@link dev.agentos.nats.StreamLeaderRead}). A decision that writes is safe on such a read:
 * its compare-and-set fails on the lagging revision and the update reads again. A decision that
 * writes nothing (the cycle is missing, has moved on, is not orphaned) is not: it was never checked
 * against the latest revision. So such a decision is read again from the stream leader, and made
 * again on the leader's state when that is newer. Only those decisions cost the extra read.
 */
final class LeaderConfirmedUpdate {
  private static final Logger LOG = Logger.getLogger(LeaderConfirmedUpdate.class);

  /** How often the leader is asked before giving up on a state that keeps changing. */
  static final int ROUNDS = 3;

  /**
   * The state the decision was last made on ({@code null}: the cycle does not exist), and whether
   * it was the leader's latest. An unconfirmed decision kept meeting newer writes: it must not be
   * taken as final.
   */
  record Outcome(CycleStore.Versioned current, boolean confirmed) {}

  private LeaderConfirmedUpdate() {}

  /**
   * Updates {@code cycleId} with {@code change} (a pure function of the state, which records its
   * decision where {@code leavesWork} can see it) and confirms through the stream leader every
   * outcome for which {@code leavesWork} holds; it is asked with {@code null} when the cycle was
   * not found.
   */
  static Outcome update(
      CycleStore store,
      String cycleId,
      UnaryOperator<CycleState> change,
      Predicate<CycleStore.Versioned> leavesWork) {
    CycleStore.Versioned read = orMissing(() -> store.update(cycleId, change));
    if (!leavesWork.test(read)) {
      return new Outcome(read, true);
    }
    for (int round = 1; round <= ROUNDS; round++) {
      Optional<CycleStore.Versioned> leader = store.getFromLeader(cycleId);
      if (leader.isEmpty()) {
        return new Outcome(null, true);
      }
      CycleStore.Versioned latest = leader.get();
      if (read != null && read.revision() >= latest.revision()) {
        return new Outcome(read, true);
      }
      LOG.infof(
          "cycle=%s a lagging read (revision %s) would have left its work undone; the stream"
              + " leader has revision %d, deciding on that",
          cycleId, read == null ? "none" : read.revision(), latest.revision());
      read = orMissing(() -> store.update(latest, change));
      if (!leavesWork.test(read) || (read != null && read.revision() >= latest.revision())) {
        return new Outcome(read, true);
      }
      // The update's write met a newer revision, and the read after it was behind the leader again.
    }
    return new Outcome(read, false);
  }

  private static CycleStore.Versioned orMissing(Supplier<CycleStore.Versioned> update) {
    try {
      return update.get();
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }
}
