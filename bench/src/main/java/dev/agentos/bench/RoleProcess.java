package dev.agentos.bench;

import dev.agentos.testing.Await;
import dev.agentos.testing.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged role service as its own OS process, started the way a user starts it ({@code java
 * <options> -jar quarkus-run.jar}, see {@link ServiceJvm}), with its log in a file.
 */
final class RoleProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String role;
  private final Path jar;
  private final Path log;
  private final int httpPort = FreePort.pick();
  private final List<String> jvmOptions;
  private final Path jfrDir;
  private volatile Map<String, String> properties;
  private volatile Process process;

  /** Numbers every launch in this bench run, so that no recording overwrites another. */
  private static final java.util.concurrent.atomic.AtomicInteger LAUNCHES =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param jfrDir where each launch writes a Java Flight Recording ({@code <name>.<n>.jfr}), or
   *     null for none
   */
  RoleProcess(
      String name,
      String role,
      Path jar,
      Map<String, String> properties,
      Path logDir,
      List<String> jvmOptions,
      Path jfrDir) {
    this.name = name;
    this.role = role;
    this.jar = jar;
    this.properties = Map.copyOf(properties);
    this.log = logDir.resolve(name + ".log");
    this.jvmOptions = List.copyOf(jvmOptions);
    this.jfrDir = jfrDir;
  }

  String name() {
    return name;
  }

  String role() {
    return role;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Whether {@code leaseOwner} (a worker id, {@code <role>-<host>-<pid>}) is this process. */
  boolean owns(dev.agentos.state.Lease lease) {
    return lease != null && isAlive() && lease.isHeldByProcess(pid());
  }

  synchronized void launch() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (jfrDir != null) {
      // Written when the process stops gracefully; a SIGKILLed one leaves an empty file.
      Path recording = jfrDir.resolve(name + "." + LAUNCHES.incrementAndGet() + ".jfr");
      command.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
    }
    command.add("-Dquarkus.http.port=" + httpPort);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
    }
  }

  /** Waits until {@code /q/health/ready} answers 200; fails early if the process exits. */
  void awaitReady(Duration timeout) {
    Await.until(timeout, name + " to be ready (log: " + log + ")", this::ready);
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with status " + process.exitValue() + "; see its log " + log);
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }

  /**
   * SIGKILL, as when a pod dies, together with the agent commands it started (they would otherwise
   * finish steps that nobody records).
   */
  void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      List<ProcessHandle> children = p.descendants().toList();
      p.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      waitFor(p, Duration.ofSeconds(10));
    }
  }

  /** Starts the process again as it was (after a kill), without waiting for it to be ready. */
  void relaunch() {
    relaunch(properties);
  }

  /** Starts the process again with other system properties (after a kill or a stop). */
  void relaunch(Map<String, String> newProperties) {
    kill();
    properties = Map.copyOf(newProperties);
    launch();
  }

  /** Asks for a graceful stop (SIGTERM); {@link #awaitStopped} waits for it. */
  void requestStop() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
    }
  }

  /** Waits for a requested stop, and SIGKILLs whatever is left after {@code timeout}. */
  void awaitStopped(Duration timeout) {
    Process p = process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> children = p.descendants().toList();
    if (!waitFor(p, timeout)) {
      kill();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
