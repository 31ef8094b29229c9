package dev.agentos.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The worktree of one step of a plan whose steps run in parallel, started from the cycle branch's
 * head. {@link #commit} commits in the worktree only; the work reaches the remote by {@link
 * #mergeIntoCycle} (or, for a step that failed, {@link #keepOnStepBranch}).
 */
public interface StepWorkspace extends PhaseWorkspace {
  /**
   * Merges the step's last commit into the cycle branch as one merge commit, runs {@code atMerge}
   * in the merged tree first (the step's box ticked there), and pushes it leased on the head it was
   * built on; a lost race is built again on the new head.
   *
   * @throws dev.agentos.error.AgentOsException UNAVAILABLE when the remote did not answer, or the
   *     merge kept losing races
   */
  default StepMerge mergeIntoCycle(String subject, Consumer<Path> atMerge) {
    return mergeIntoCycle(subject, atMerge, false);
  }

  /**
   * As {@link #mergeIntoCycle(String, Consumer)}; {@code headMoved}: another step is known to have
   * merged since this one started, so a fast-forward cannot succeed and is not tried.
   */
  StepMerge mergeIntoCycle(String subject, Consumer<Path> atMerge, boolean headMoved);

  /**
   * The files the step's commits changed since {@link #startHead}: what the step did, read from its
   * commit (the worktree started clean at that head, so nothing else is in it).
   */
  List<String> changedFiles();

  /** Pushes the step's last commit to the step's own branch: a failed step's work, kept. */
  void keepOnStepBranch();

  /** The cycle branch's commit this worktree started from. */
  String startHead();

  /** The cycle branch's head on the remote now. */
  String cycleHead();
}
