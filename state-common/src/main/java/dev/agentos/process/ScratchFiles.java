package dev.agentos.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the scratch directories child processes were given (a TMPDIR, an agent's HOME). */
public final class ScratchFiles {
  private ScratchFiles() {}

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
