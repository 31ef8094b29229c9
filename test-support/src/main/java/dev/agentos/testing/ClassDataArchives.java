package dev.agentos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One class-data-sharing archive (JDK dynamic AppCDS) per service jar, made by the first process of
 * that jar in this JVM and mapped by every later one. A service start is CPU-bound on loading and
 * verifying some ten thousand classes; from the archive it took a quarter to a third less CPU on
 * two cores (the four services to readiness: 16.5 s down to 12.7-12.8 s, 2026-12-07). The archives
 * live in a temp dir of this JVM, so each build makes its own from the jars it built and none goes
 * stale.
 *
 * <p>The first process runs with {@code -XX:ArchiveClassesAtExit}: the JVM writes the archive as it
 * exits. Only an exit the JVM finished (status 0, or 143 after SIGTERM) yields an archive; after a
 * SIGKILL the next process of the jar tries again. A JVM that cannot use an archive (another JDK, a
 * changed jar) starts without it, as without the option.
 */
final class ClassDataArchives {
  /** JVM logging off for CDS: the dump warns once per class it skips, hundreds of lines a log. */
  private static final String QUIET = "-Xlog:cds*=off";

  private static final Map<Path, Path> READY = new ConcurrentHashMap<>();
  private static final Map<Path, Boolean> DUMPING = new ConcurrentHashMap<>();
  private static final AtomicLong SERIAL = new AtomicLong();
  private static volatile Path dir;

  private ClassDataArchives() {}

  /** What one launch of a jar does with its archive, and where it dumps one, if it does. */
  record Use(Path jar, List<String> jvmOptions, Optional<Path> dumpTo) {
    /**
     * Call once the process has ended: keeps the archive it wrote when {@code exitStatus} says the
     * JVM finished its exit, and lets the next launch try again otherwise.
     */
    void ended(int exitStatus) {
      dumpTo.ifPresent(file -> ClassDataArchives.ended(jar, file, exitStatus));
    }
  }

  /** The options for the next process of {@code jar}: map its archive, or make it. */
  static Use forLaunch(Path jar) {
    Path key = jar.toAbsolutePath().normalize();
    Path ready = READY.get(key);
    if (ready != null) {
      return new Use(key, List.of(QUIET, "-XX:SharedArchiveFile=" + ready), Optional.empty());
    }
    if (DUMPING.putIfAbsent(key, Boolean.TRUE) != null) {
      return new Use(key, List.of(), Optional.empty());
    }
    Path dumpTo = directory().resolve("dump-" + SERIAL.incrementAndGet() + ".jsa");
    return new Use(key, List.of(QUIET, "-XX:ArchiveClassesAtExit=" + dumpTo), Optional.of(dumpTo));
  }

  private static void ended(Path jar, Path dumped, int exitStatus) {
    try {
      if ((exitStatus == 0 || exitStatus == 143) && Files.size(dumped) > 0) {
        Path archive = directory().resolve("archive-" + SERIAL.incrementAndGet() + ".jsa");
        Files.move(dumped, archive, StandardCopyOption.ATOMIC_MOVE);
        READY.put(jar, archive);
      } else {
        Files.deleteIfExists(dumped);
      }
    } catch (IOException e) {
      // No archive: later processes start as they would without one, and one tries again.
    } finally {
      DUMPING.remove(jar);
    }
  }

  private static synchronized Path directory() {
    if (dir == null) {
      try {
        Path made = Files.createTempDirectory("agentos-cds-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAll(made)));
        dir = made;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a directory for class data archives", e);
      }
    }
    return dir;
  }

  private static void deleteAll(Path directory) {
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      // A leftover temp dir is harmless.
    }
  }
}
