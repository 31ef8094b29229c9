package dev.agentos.agent.cli;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.ScratchFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
    try {
      Files.createDirectories(scratchRoot);
      Path dir =
          Files.createTempDirectory(
              scratchRoot,
              "home-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return new AgentHome(dir);
    } catch (IOException | UnsupportedOperationException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "cannot make a HOME for the agent under "
              + scratchRoot
              + " (agentos.process.scratch-dir): "
              + e.getMessage(),
          e);
    }
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
