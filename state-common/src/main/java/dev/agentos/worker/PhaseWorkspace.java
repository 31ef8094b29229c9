package dev.agentos.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The workspace a claimed phase works in, made ready for it. */
public interface PhaseWorkspace extends AutoCloseable {
  /** The directory the phase's agents and checks work in. */
  Path directory();

  /**
   * The commit the cycle's branch stands at when the state does not record one yet (its branch was
   * just created): to record with the phase's next write. Empty outside git workspaces.
   */
  default Optional<String> createdHead() {
    return Optional.empty();
  }

  /**
   * Commits everything changed in the workspace as one commit and pushes it to the cycle's branch,
   * leased on the commit the branch was at; returns the new commit. Empty when the workspace is not
   * one Agent OS commits in (a local directory).
   *
   * @throws dev.agentos.error.AgentOsException WORKSPACE_MOVED when the branch moved (nothing is
   *     overwritten); UNAVAILABLE when the remote did not answer in time
   */
  default Optional<String> commit(String message) {
    return Optional.empty();
  }

  /**
   * As {@link #commit(String)}, but the commit holds only {@code paths} (relative to {@link
   * #directory}) as they are now, whatever else changed in the workspace; empty when none of them
   * changed, or when the workspace is not one Agent OS commits in.
   */
  default Optional<String> commit(String message, List<Path> paths) {
    return Optional.empty();
  }

  /** Gives up what the phase held (a lock on a working tree). */
  @Override
  default void close() {}

  static PhaseWorkspace at(Path directory) {
    return () -> directory;
  }
}
