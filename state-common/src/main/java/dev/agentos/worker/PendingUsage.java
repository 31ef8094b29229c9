package dev.agentos.worker;

import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent usage a phase recorded that is not yet in the cycle's state. It rides along with the
 * next write (a checkpoint, the commit, or the lease release of a retry), so accounting costs no
 * write of its own, and a write that is retried after a compare-and-set conflict adds it once.
 */
final class PendingUsage {
  private final Phase phase;
  private final List<Usage> usage = new ArrayList<>();
  private final List<String> models = new ArrayList<>();
  private int written;

  PendingUsage(Phase phase) {
    this.phase = phase;
  }

  synchronized void add(Usage used, String model) {
    usage.add(used);
    models.add(model);
  }

  /** The sum of what is not written yet: what budget checks add to the state's own figures. */
  synchronized Usage unwritten() {
    Usage sum = Usage.ZERO;
    for (int i = written; i < usage.size(); i++) {
      sum = sum.plus(usage.get(i));
    }
    return sum;
  }

  /** How much is recorded now: what a write that starts now will carry. */
  synchronized int mark() {
    return usage.size();
  }

  /**
   * {@code state} plus what was recorded up to {@code mark} and is not written yet; pure, so a
   * retried compare-and-set may call it again.
   */
  synchronized CycleState addTo(CycleState state, int mark) {
    CycleState result = state;
    for (int i = written; i < mark; i++) {
      result =
          result.toBuilder()
              .usage(result.usageOrNone().add(phase, usage.get(i), models.get(i)))
              .build();
    }
    return result;
  }

  /** What was recorded up to {@code mark} is in a state that was written. */
  synchronized void written(int mark) {
    written = Math.max(written, mark);
  }
}
