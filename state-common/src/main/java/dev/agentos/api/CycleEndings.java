package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.history.HistoryRecord;
import dev.agentos.history.HistoryStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What happens once a cycle ends: its summary goes to the history bucket, and a completed cycle
 * with {@code options.then} starts the next link of its chain. Both are idempotent, so the worker
 * that ended the cycle, the API call that approved it and the reconciler's sweep may all call it.
 */
public final class CycleEndings {
  private static final Logger LOG = Logger.getLogger(CycleEndings.class);

  private final HistoryStore history;
  private final Submissions submissions;
  private final Consumer<CycleState> then;

  public CycleEndings(HistoryStore history, Submissions submissions) {
    this(history, submissions, state -> {});
  }

  private CycleEndings(HistoryStore history, Submissions submissions, Consumer<CycleState> then) {
    this.history = history;
    this.submissions = submissions;
    this.then = then;
  }

  /**
   * The same endings with {@code step} done for every ended cycle before its ending is recorded (a
   * git workspace's delivery and cache clean-up). It must be idempotent too; an AgentOsException
   * from it leaves the ending pending, for the reconciler's next sweep to try again.
   */
  public CycleEndings then(Consumer<CycleState> step) {
    return new CycleEndings(history, submissions, then.andThen(step));
  }

  /**
   * Records and continues {@code state} if it has ended; does nothing otherwise. Never throws: an
   * ending that could not be recorded (the history bucket unavailable, or other writers winning
   * every compare-and-set) is logged and stays {@link #pending}, so the reconciler's next sweep
   * records it; nothing here may fail the cycle that ended.
   *
   * @return whether the ending is recorded now (by this call or an earlier one)
   */
  public boolean ended(CycleState state) {
    if (state == null || !state.status().isFinal()) {
      return false;
    }
    try {
      // The next link first: the history record is what marks the ending as handled.
      if (state.status() == Status.COMPLETED) {
        submissions.startNextLink(state);
      }
      then.accept(state);
      history.record(HistoryRecord.of(state));
      return true;
    } catch (AgentOsException e) {
      LOG.warnf(
          "cycle=%s ending not recorded yet (%s: %s); the reconciler's next sweep tries again",
          state.cycleId(), e.code(), e.getMessage());
      return false;
    }
  }

  /** Whether the sweep still has work for {@code state}: an ending not in the history yet. */
  public boolean pending(CycleState state) {
    return state.status().isFinal()
        && !history.hasEnding(state.project(), state.cycleId(), state.updatedAt());
  }
}
