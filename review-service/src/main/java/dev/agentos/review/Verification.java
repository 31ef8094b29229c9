package dev.agentos.review;

import dev.agentos.checks.NamedCheck;
import dev.agentos.state.Check;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one named check's command ({@code mvn -q test}, {@code npm test}) in the workspace, and
 * records which check it was, where its command came from and how it exited.
 */
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

  static Check run(NamedCheck check, Path workspace, Duration timeout) {
    String name = check.name();
    String source = check.source();
    String command = check.run();
    Process process;
    try {
      process =
          new ProcessBuilder("bash", "-c", command)
              .directory(workspace.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return new Check(name, false, "could not start: " + e.getMessage(), source, null);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // the command does not read input; nothing to close
    }
    StringBuffer collected = new StringBuffer();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream(), collected), READER);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process);
        return new Check(name, false, "timed out after " + timeout, source, null);
      }
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      return new Check(name, false, "interrupted", source, null);
    }
    String tail;
    try {
      // A background child (a dev server, a daemon) may keep the output open after the command
      // exits: read it only for the time that is left, then stop what is still running.
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      tail = tail(output.get(left, TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      // The command itself has exited; what it left behind is stopped, and its status counts.
      stop(process);
      tail = tail(collected.toString());
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      return new Check(name, false, "interrupted", source, null);
    } catch (ExecutionException e) {
      tail = "";
    }
    int status = process.exitValue();
    return new Check(
        name, status == 0, "exit " + status + (tail.isEmpty() ? "" : ": " + tail), source, status);
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static String read(InputStream in, StringBuffer collected) {
    try (in) {
      byte[] chunk = new byte[8192];
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      for (int n; (n = in.read(chunk)) >= 0; ) {
        buffer.write(chunk, 0, n);
        collected.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
      }
      return buffer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return collected.toString();
    }
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= OUTPUT_TAIL ? t : "…" + t.substring(t.length() - OUTPUT_TAIL);
  }
}
