package dev.agentos.worker;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleState;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Decides a work message's claim against the cycle's state, and makes sure that a decision which
 * throws the message away (the cycle is missing, or does not run the message's phase) was made on
 * the latest state, not on a lagging replica's.
 *
 * <p>A KV read on a cluster may be answered by a replica that has not yet applied the write the
 * message follows: the cluster bench saw workers find a cycle missing or one phase behind its
 * hand-off, drop the message as stale, and leave the cycle to the reconciler (16 of about 650
 * cycles, some 75 s each). So such a decision is read again from the stream leader, and decided
 * again when the leader has a newer revision ({@link LeaderConfirmedUpdate}). The claim itself
 * needs no such care: its write is a compare-and-set, which fails on a lagging revision and reads
 * again. Only a decision to drop costs the extra read, so the common path (a claim) is as cheap as
 * before.
 */
final class ConfirmedClaim {
  /**
   * What was decided, on which state ({@code null}: the cycle does not exist), and whether that
   * state was the leader's latest. An unconfirmed decision kept meeting newer writes: it must not
   * drop the message.
   */
  record Decided(ClaimDecision decision, CycleStore.Versioned current, boolean confirmed) {}

  private final CycleStore store;

  ConfirmedClaim(CycleStore store) {
    this.store = store;
  }

  /**
   * Decides with {@code decide} (a pure function of the state read, as {@code CycleStore.update}
   * needs) and writes the claimed state when it claims; confirms a drop through the stream leader.
   */
  Decided decide(String cycleId, Function<CycleState, ClaimDecision> decide) {
    AtomicReference<ClaimDecision> decision = new AtomicReference<>();
    UnaryOperator<CycleState> change =
        state -> {
          ClaimDecision d = decide.apply(state);
          decision.set(d);
          return d instanceof ClaimDecision.Claimed claimed ? claimed.state() : state;
        };
    LeaderConfirmedUpdate.Outcome outcome =
        LeaderConfirmedUpdate.update(
            store,
            cycleId,
            change,
            read -> read == null || decision.get() instanceof ClaimDecision.Stale);
    CycleStore.Versioned current = outcome.current();
    return new Decided(current == null ? missing() : decision.get(), current, outcome.confirmed());
  }

  /**
   * Whether the confirmed state has not reached the work yet: no cycle, or a cycle that still runs
   * an earlier iteration or phase. The hand-off is published only after the write that moved the
   * cycle to its phase was acknowledged by the stream leader, so the leader's state cannot be
   * behind a message unless it went back since (a retry or a rejected plan, when the message is
   * stale for good) or the leader was just elected and has not applied its log yet (nats-server 2.9
   * answers reads from what it has applied): a short wait tells the two apart.
   */
  static boolean behind(CycleState state, WorkMessage work) {
    if (state == null) {
      return true;
    }
    if (state.status().isFinal()) {
      return false;
    }
    return state.iteration() < work.iteration()
        || (state.iteration() == work.iteration()
            && state.phase().ordinal() < work.phase().ordinal());
  }

  private static ClaimDecision missing() {
    return new ClaimDecision.Stale("the cycle does not exist");
  }
}
