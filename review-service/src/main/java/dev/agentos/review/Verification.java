package dev.agentos.review;

import dev.agentos.state.Check;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs one verification command ({@code mvn -q test}, {@code npm test}) in the workspace. */
final class Verification {
  private static final int OUTPUT_TAIL = 1500;
  private static final ExecutorService READER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "agentos-verify-output");
            t.setDaemon(true);
            return t;
          });

  private Verification() {}

  static Check run(String command, Path workspace, Duration timeout) {
    String name = "verify: " + command;
    Process process;
    try {
      process =
          new ProcessBuilder("bash", "-c", command)
              .directory(workspace.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return new Check(name, false, "could not start: " + e.getMessage());
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // the command does not read input; nothing to close
    }
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()), READER);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return new Check(name, false, "timed out after " + timeout);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Check(name, false, "interrupted");
    }
    String tail = tail(output.join());
    int status = process.exitValue();
    return new Check(name, status == 0, "exit " + status + (tail.isEmpty() ? "" : ": " + tail));
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      return buffer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= OUTPUT_TAIL ? t : "…" + t.substring(t.length() - OUTPUT_TAIL);
  }
}
