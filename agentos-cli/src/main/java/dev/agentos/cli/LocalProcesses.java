package dev.agentos.cli;

import dev.agentos.cli.RunRecord.ProcessRecord;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Background processes that outlive the CLI: started in a session of their own (so Ctrl-C in the
 * terminal that ran {@code up} does not reach them), with their output in a log file, and found
 * again later by pid and start time.
 */
final class LocalProcesses {
  private static final Set<Integer> HANDED_OUT_PORTS = ConcurrentHashMap.newKeySet();

  private LocalProcesses() {}

  /** Starts {@code command} detached, its output appended to {@code log}. */
  static ProcessHandle start(List<String> command, Map<String, String> env, Path log, Path dir) {
    List<String> argv = new ArrayList<>();
    findOnPath("setsid", Map.of()).ifPresent(setsid -> argv.add(setsid.toString()));
    argv.addAll(command);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      return builder.start().toHandle();
    } catch (IOException e) {
      throw CliException.setup("cannot start " + command.get(0) + ": " + e.getMessage());
    }
  }

  static ProcessRecord record(String name, ProcessHandle handle, int port, Path log) {
    return new ProcessRecord(
        name, handle.pid(), handle.info().startInstant().orElse(null), port, log.toString());
  }

  /**
   * The process a record names, if it still runs. A different process that got the same pid later
   * (it started at another time) is not it.
   */
  static Optional<ProcessHandle> live(ProcessRecord record) {
    return ProcessHandle.of(record.pid())
        .filter(ProcessHandle::isAlive)
        .filter(h -> sameStart(h.info().startInstant().orElse(null), record.processStart()));
  }

  static boolean sameStart(Instant actual, Instant recorded) {
    if (actual == null || recorded == null) {
      return true;
    }
    return Duration.between(actual, recorded).abs().compareTo(Duration.ofSeconds(2)) <= 0;
  }

  /** Outcome of stopping one process. */
  enum Stopped {
    NOT_RUNNING,
    TERMINATED,
    KILLED
  }

  /**
   * SIGTERM to every process, then SIGKILL to those still running after {@code grace}. Returns, in
   * the same order, what happened to each.
   */
  static List<Stopped> stop(List<ProcessRecord> records, Duration grace) {
    List<Optional<ProcessHandle>> handles = records.stream().map(LocalProcesses::live).toList();
    handles.forEach(h -> h.ifPresent(ProcessHandle::destroy));
    List<CompletableFuture<ProcessHandle>> exits =
        handles.stream().flatMap(Optional::stream).map(ProcessHandle::onExit).toList();
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
          .get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Some did not stop in time: they are killed below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Stopped> result = new ArrayList<>();
    for (Optional<ProcessHandle> handle : handles) {
      if (handle.isEmpty()) {
        result.add(Stopped.NOT_RUNNING);
      } else if (handle.get().isAlive()) {
        handle.get().destroyForcibly();
        try {
          handle.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // Reported as killed; the OS finishes it.
        }
        result.add(Stopped.KILLED);
      } else {
        result.add(Stopped.TERMINATED);
      }
    }
    return result;
  }

  /**
   * A loopback TCP port nothing listens on right now, never one this process handed out before:
   * once its probe socket is closed the kernel may give the same port again, and of two processes
   * started on one port, one dies.
   */
  static int freePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        if (HANDED_OUT_PORTS.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no free TCP port on 127.0.0.1 not handed out already");
  }

  static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An executable on {@code $PATH} (or the usual sbin folders, where nats-server lives). */
  static Optional<Path> findOnPath(String name, Map<String, String> env) {
    String path = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
    dirs.addAll(
        List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The last {@code lines} lines of a log, to show why a process stopped. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
