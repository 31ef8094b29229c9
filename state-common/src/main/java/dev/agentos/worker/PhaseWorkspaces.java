package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.workspace.WorkspacePaths;
import java.util.Optional;

/**
 * Makes a cycle's workspace ready for a phase: a local directory confined to the workspace root, or
 * (see {@code dev.agentos.git}) the cycle's git branch checked out at the recorded commit.
 */
@FunctionalInterface
public interface PhaseWorkspaces {
  /**
   * @throws dev.agentos.error.AgentOsException INVALID_REQUEST when the workspace cannot be used,
   *     WORKSPACE_MOVED when its branch moved, UNAVAILABLE when a remote did not answer
   */
  PhaseWorkspace open(CycleState state);

  /**
   * Step {@code stepId}'s own worktree, for a plan whose steps run in parallel (a git workspace),
   * from the cycle branch's head as the remote has it now; or, with {@code startAt}, from that
   * commit when this process holds it (the merge it just pushed, which the step waits for), without
   * asking the remote.
   */
  default StepWorkspace openStep(CycleState state, String stepId, Optional<String> startAt) {
    throw new AgentOsException(
        ErrorCode.INVALID_REQUEST, "steps run in parallel only in a git workspace");
  }

  /** Local directories only, as the submit gave them. */
  static PhaseWorkspaces local(WorkspacePaths paths) {
    return state -> PhaseWorkspace.at(paths.workspace(state.workspace().path()));
  }
}
