package dev.agentos.worker;

import dev.agentos.state.StepRecord;

/**
 * What the executor supplies, besides its {@link PhaseLogic}, to run the steps of a plan that
 * declares {@code depends_on} (in a git workspace) as work items of their own, on any replica.
 */
public interface StepLogic {
  /** How many steps of one cycle may run at once, across every replica. */
  int maxParallel();

  /**
   * Runs the claimed step in its own worktree and merges it into the cycle branch; returns its
   * ended record, COMPLETED (merged, {@code workspace_ref} the merge) or FAILED with the reason.
   * The worker writes it: the logic only checkpoints the RUNNING record along the way.
   */
  StepRecord runStep(StepContext context) throws Exception;
}
