package dev.agentos.state;

/**
 * What an observer of the cycle states (the bench, the fault tests) counts as a dead worker's phase
 * taken up again: the place where a time-to-resume after a crash ends.
 */
public final class Takeover {
  private Takeover() {}

  /**
   * Whether {@code now} shows {@code before}'s work picked up again by a worker outside the dead
   * process {@code deadPid}, or the cycle moved on.
   */
  public static boolean happened(CycleState before, CycleState now, long deadPid) {
    if (now.status().isFinal()
        || now.iteration() != before.iteration()
        || now.phase() != before.phase()) {
      return true;
    }
    return now.lease() != null
        && !now.lease().isHeldByProcess(deadPid)
        && now.attempts() > before.attempts();
  }
}
