package dev.agentos.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Sizes and removals of folders of the git cache; symbolic links are never followed. */
final class CacheFiles {
  private CacheFiles() {}

  /** Removes {@code dir} and everything in it; nothing when it does not exist. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(path);
        } catch (NoSuchFileException gone) {
          // removed meanwhile: that is what was wanted
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The bytes of the regular files under {@code dir}; 0 when it does not exist. */
  static long size(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }
}
