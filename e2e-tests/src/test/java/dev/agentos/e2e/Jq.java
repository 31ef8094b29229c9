package dev.agentos.e2e;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the guide's {@code jq} filters with the real jq, so that what the guide says a script sees
 * is what it sees. Where jq is not installed the filter is not run (the reply's headers and shape
 * are still checked by the caller).
 */
final class Jq {
  private Jq() {}

  /** {@code jq -r filter} over {@code input}; empty when there is no jq on the PATH. */
  static Optional<String> filter(String filter, byte[] input) throws Exception {
    Optional<Path> jq =
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(d -> !d.isBlank())
            .map(d -> Path.of(d, "jq"))
            .filter(Files::isExecutable)
            .findFirst();
    if (jq.isEmpty()) {
      System.err.println("jq is not installed: the guide's jq filter '" + filter + "' is not run");
      return Optional.empty();
    }
    Process process =
        new ProcessBuilder(jq.get().toString(), "-r", filter).redirectErrorStream(true).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("jq did not finish within 10 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException("jq exited with " + process.exitValue() + ": " + output);
    }
    return Optional.of(output);
  }
}
