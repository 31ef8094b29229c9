package dev.agentos.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a file that its directory's writer cannot replace, for tests of what happens when a write
 * fails. Permissions do not stop root, who runs CI here, so as root the file is made immutable
 * ({@code chattr +i}); as anyone else the file and its directory lose their write bits. Closing
 * undoes it, so the test's temp dir can be removed.
 */
public final class ReadOnlyFile implements AutoCloseable {
  private final Path file;
  private final boolean immutable;

  private ReadOnlyFile(Path file, boolean immutable) {
    this.file = file;
    this.immutable = immutable;
  }

  public static ReadOnlyFile of(Path file) throws IOException, InterruptedException {
    if ("root".equals(System.getProperty("user.name"))) {
      Assumptions.assumeTrue(
          chattr("+i", file) == 0,
          "chattr +i failed on " + file + ": cannot make a file read-only for root here");
      return new ReadOnlyFile(file, true);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
    return new ReadOnlyFile(file, false);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (immutable) {
      chattr("-i", file);
    } else {
      Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static int chattr(String flag, Path file) throws IOException, InterruptedException {
    Process process;
    try {
      process =
          new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return -1; // no chattr on this machine
    }
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
