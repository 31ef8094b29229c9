package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.history.HistoryRecord;
import dev.agentos.history.HistoryStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
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

  public CycleEndings(HistoryStore history, Submissions submissions) {
    this.history = history;
    this.submissions = submissions;
  }

  /** Records and continues {@code state} if it has ended; does nothing otherwise. */
  public void ended(CycleState state) {
    if (state == null || !state.status().isFinal()) {
      return;
    }
    try {
      // The next link first: the history record is what marks the ending as handled.
      if (state.status() == Status.COMPLETED) {
        submissions.startNextLink(state);
      }
      history.record(HistoryRecord.of(state));
    } catch (AgentOsException e) {
      // The reconciler's next sweep tries again; nothing here may fail the cycle that ended.
      LOG.warnf("cycle=%s ending not recorded yet: %s", state.cycleId(), e.getMessage());
    }
  }

  /** Whether the sweep still has work for {@code state}: an ending not in the history yet. */
  public boolean pending(CycleState state) {
    return state.status().isFinal()
        && !history.hasEnding(state.project(), state.cycleId(), state.updatedAt());
  }
}
