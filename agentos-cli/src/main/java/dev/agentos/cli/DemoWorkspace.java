package dev.agentos.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh copy of the sample project for the demo to work in, committed to a new git repository so
 * that every step records the commit it worked on.
 */
final class DemoWorkspace {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private DemoWorkspace() {}

  /** Copies {@code sample} to a new folder under {@code parent}; returns it and whether git ran. */
  static Created create(Path sample, Path parent, Instant now) {
    if (!Files.isDirectory(sample)) {
      throw CliException.setup(
          "the sample project " + sample + " is missing; is this a complete Agent OS checkout?");
    }
    Path target = parent.resolve(sample.getFileName() + "-" + STAMP.format(now));
    for (int n = 2; Files.exists(target); n++) {
      target = parent.resolve(sample.getFileName() + "-" + STAMP.format(now) + "-" + n);
    }
    try {
      copy(sample, target);
    } catch (IOException e) {
      throw CliException.setup("cannot copy " + sample + " to " + target + ": " + e.getMessage());
    }
    boolean git =
        run(target, "git", "init", "-q")
            && run(target, "git", "add", "-A")
            && run(
                target,
                "git",
                "-c",
                "user.email=demo@agentos.invalid",
                "-c",
                "user.name=Agent OS demo",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
                "-m",
                "The sample shop project");
    return new Created(target, git);
  }

  record Created(Path dir, boolean git) {}

  private static void copy(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static boolean run(Path dir, String... command) {
    List<String> argv = new ArrayList<>(List.of(command));
    try {
      Process p =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
