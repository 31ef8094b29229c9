package dev.agentos.bench;

import dev.agentos.testing.Await;
import dev.agentos.testing.FreePort;
import dev.agentos.testing.ServiceLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged role service as its own OS process, started the way a user starts it ({@code java
 * <options> -jar quarkus-run.jar}, see {@link ServiceJvm}), with its log in a file.
 */
final class RoleProcess {
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
    List<String> options = new ArrayList<>(jvmOptions);
    if (jfrDir != null) {
      // Written when the process stops gracefully; a SIGKILLed one leaves an empty file.
      Path recording = jfrDir.resolve(name + "." + LAUNCHES.incrementAndGet() + ".jfr");
      options.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
    }
    process = ServiceLaunch.start(name, options, httpPort, properties, jar, log);
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
    return ServiceLaunch.healthStatus(httpPort, "ready") == 200;
  }

  /**
   * SIGKILL, as when a pod dies, together with the agent commands it started (they would otherwise
   * finish steps that nobody records).
   */
  void kill() {
    ServiceLaunch.kill(process);
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
    if (!ServiceLaunch.waitFor(p, timeout)) {
      kill();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
