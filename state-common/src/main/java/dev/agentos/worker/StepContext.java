package dev.agentos.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the executor's logic sees of one step of a plan whose steps run in parallel: the step's own
 * worktree ({@link #workspace}), whose {@link #commitWork} pushes to the step's branch, and the
 * merge into the cycle branch. Checkpoints are guarded by the step's lease, not the phase's.
 */
public interface StepContext extends PhaseContext {
  /** The id of the claimed step. */
  String stepId();

  /** The cycle branch's commit the step's worktree started from. */
  String startHead();

  /** See {@link StepWorkspace#mergeIntoCycle}. */
  StepMerge mergeIntoCycle(String subject, Consumer<Path> atMerge);

  /** See {@link StepWorkspace#changedFiles}. */
  List<String> changedFiles();

  /** See {@link StepWorkspace#keepOnStepBranch}: a failed step's work, kept for people. */
  void keepOnStepBranch();

  /**
   * Gives up the step's worktree: the next {@link #workspace} starts from the cycle branch's head
   * as it is now (a re-run after the step's merge conflicted).
   */
  void startOver();
}
