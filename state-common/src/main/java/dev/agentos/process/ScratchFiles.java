package dev.agentos.process;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Makes and removes the scratch directories child processes are given (a TMPDIR, an agent's HOME,
 * an agent's channel).
 */
public final class ScratchFiles {
  private ScratchFiles() {}

  /**
   * A new directory under {@code root} (made if missing) that only this user may enter.
   *
   * @param what what it is for, in the error: "a HOME for the agent"
   * @throws AgentOsException UNAVAILABLE naming {@code agentos.process.scratch-dir}
   */
  public static Path privateDirectory(Path root, String prefix, String what) {
    try {
      Files.createDirectories(root);
      return Files.createTempDirectory(
          root,
          prefix,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "cannot make "
              + what
              + " under "
              + root
              + " (agentos.process.scratch-dir): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Deletes {@code dir} and everything in it. What a child left undeletable stays: the system's
   * temporary-file cleaner gets it later, and nothing in a scratch directory is a secret.
   */
  public static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(ScratchFiles::deleteOne);
    } catch (IOException | UncheckedIOException e) {
      // left for the cleaner, as said above
    }
  }

  private static void deleteOne(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
