package dev.agentos.git;

import dev.agentos.state.CycleState;
import dev.agentos.worker.PhaseWorkspace;
import dev.agentos.worker.PhaseWorkspaces;
import dev.agentos.worker.StepWorkspace;
import java.util.Optional;

/**
 * A cycle's workspace for a phase: its git branch when it has one, its own worktree of a local
 * repository when it is isolated, else the local directory itself.
 */
public final class GitAwareWorkspaces implements PhaseWorkspaces {
  private final PhaseWorkspaces local;
  private final GitCheckouts checkouts;
  private final IsolatedWorktrees worktrees;

  public GitAwareWorkspaces(
      PhaseWorkspaces local, GitCheckouts checkouts, IsolatedWorktrees worktrees) {
    this.local = local;
    this.checkouts = checkouts;
    this.worktrees = worktrees;
  }

  @Override
  public PhaseWorkspace open(CycleState state) {
    if (state.workspace() != null && state.workspace().git() != null) {
      return checkouts.open(state);
    }
    PhaseWorkspace directory = local.open(state);
    return state.workspace().isolated()
        ? worktrees.open(directory.directory(), state.cycleId())
        : directory;
  }

  @Override
  public StepWorkspace openStep(CycleState state, String stepId, Optional<String> startAt) {
    return checkouts.openStep(state, stepId, startAt);
  }
}
