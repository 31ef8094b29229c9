package dev.agentos.git;

import dev.agentos.state.CycleState;
import dev.agentos.worker.PhaseWorkspace;
import dev.agentos.worker.PhaseWorkspaces;

/** A cycle's workspace for a phase: its git branch when it has one, else its local directory. */
public final class GitAwareWorkspaces implements PhaseWorkspaces {
  private final PhaseWorkspaces local;
  private final GitCheckouts checkouts;

  public GitAwareWorkspaces(PhaseWorkspaces local, GitCheckouts checkouts) {
    this.local = local;
    this.checkouts = checkouts;
  }

  @Override
  public PhaseWorkspace open(CycleState state) {
    return state.workspace() != null && state.workspace().git() != null
        ? checkouts.open(state)
        : local.open(state);
  }
}
