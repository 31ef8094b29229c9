package dev.agentos.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What tests ask about the processes a test started: is one still running, what is its pid. */
public final class Processes {
  private Processes() {}

  /**
   * Whether {@code pid} is a running process. A zombie counts as ended: a killed orphan may wait
   * for a reaper that never comes (a container's init), yet it runs no more.
   */
  public static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // "pid (comm) S ...": the state follows the last ')' since comm may hold spaces.
      char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** The pid a child wrote to {@code file} ({@code echo $$ > file}), once it has written it. */
  public static long pidIn(Path file, Duration timeout) {
    return Await.value(
        timeout,
        "a pid in " + file,
        () -> {
          try {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            return text.matches("\\d+") ? Long.parseLong(text) : null;
          } catch (IOException e) {
            return null;
          }
        });
  }

  /** Waits until {@code pid} runs no more; fails after {@code timeout}. */
  public static void awaitGone(long pid, Duration timeout) {
    Await.until(timeout, "process " + pid + " to end", () -> !running(pid));
  }

  /** Sends {@code signal} (STOP, CONT, TERM, ...) to {@code pid} with the kill command. */
  public static void signal(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
