package dev.agentos.agent.cli;

import dev.agentos.process.ScratchFiles;
import java.nio.file.Path;

/**
 * The HOME one agent process runs with: a fresh directory under the service's scratch directory,
 * never the service's own HOME, so that the tool's sessions, settings and caches of one run are
 * neither read nor left for another, and the session file to keep is easy to find.
 */
public final class AgentHome implements AutoCloseable {
  private final Path dir;

  private AgentHome(Path dir) {
    this.dir = dir;
  }

  public static AgentHome create(Path scratchRoot) {
    return new AgentHome(
        ScratchFiles.privateDirectory(scratchRoot, "home-", "a HOME for the agent"));
  }

  public Path dir() {
    return dir;
  }

  /** Deletes the HOME and what the agent left in it. */
  @Override
  public void close() {
    ScratchFiles.deleteQuietly(dir);
  }
}
