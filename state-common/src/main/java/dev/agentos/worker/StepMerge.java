package dev.agentos.worker;

import java.util.List;

/** How merging a parallel step's branch into its cycle's branch ended. */
public sealed interface StepMerge {
  /** The cycle branch is at {@code head}, which holds the step's work (and its ticked box). */
  record Merged(String head) implements StepMerge {}

  /**
   * The step's work conflicts with what other steps merged since it started: {@code files} and the
   * conflicting hunks ({@code detail}, trimmed), for the step's next run on top of the new head.
   */
  record Conflict(List<String> files, String detail) implements StepMerge {}
}
