package dev.agentos.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One packaged Agent OS service ({@code target/quarkus-app/quarkus-run.jar}) running as its own OS
 * process, with its log in a file. Fault tests SIGKILL it and start it again.
 */
public final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final Path jar;
  private final int httpPort;
  private volatile Map<String, String> properties;
  private final Path log;
  private Process process;

  private ServiceProcess(
      String name, Path jar, int httpPort, Map<String, String> properties, Path log) {
    this.name = name;
    this.jar = jar;
    this.httpPort = httpPort;
    this.properties = Map.copyOf(properties);
    this.log = log;
  }

  /** Starts {@code jar} on a free HTTP port with {@code properties} as system properties. */
  public static ServiceProcess start(
      String name, Path jar, Map<String, String> properties, Path logDir) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing; build the services first (mvn -B package -DskipTests)");
    }
    ServiceProcess service =
        new ServiceProcess(name, jar, FreePort.pick(), properties, logDir.resolve(name + ".log"));
    service.launch();
    return service;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public int httpPort() {
    return httpPort;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits until {@code /q/health/ready} answers 200; fails at once if the process exits. */
  public ServiceProcess awaitReady(Duration timeout) {
    Await.until(
        timeout,
        name + " to be ready (log: " + log + ")",
        () -> {
          if (!isAlive()) {
            throw new AssertionError(
                name + " exited with " + process.exitValue() + " while starting; see " + log);
          }
          return healthStatus("ready") == 200;
        });
    return this;
  }

  /** The HTTP status of {@code /q/health/<which>}, or -1 when nothing answers. */
  public int healthStatus(String which) {
    if (!isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; see " + log);
    }
    return ServiceLaunch.healthStatus(httpPort, which);
  }

  /** {@code /q/health/<which>} with its body (which names the NATS server it is connected to). */
  public ServiceLaunch.Health health(String which) {
    if (!isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; see " + log);
    }
    return ServiceLaunch.health(httpPort, which);
  }

  /**
   * SIGKILL, as when a container or pod dies: no shutdown hook runs, nothing is drained or
   * released, and the agent commands the service started die with it (a killed JVM alone would
   * leave them running, finishing steps nobody records).
   */
  public void kill() {
    ServiceLaunch.kill(process);
  }

  /** Starts the same service again, on the same port and with the same log file. */
  public void restart() {
    kill();
    launch();
  }

  /** Starts the service again with other system properties (e.g. without a fault hook). */
  public void restart(Map<String, String> newProperties) {
    kill();
    properties = Map.copyOf(newProperties);
    launch();
  }

  /** The exit status once the process is gone; empty while it runs. */
  public java.util.OptionalInt exitStatus() {
    return process == null || process.isAlive()
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(process.exitValue());
  }

  /** SIGTERM and wait, so the service shuts down gracefully. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      if (!ServiceLaunch.waitFor(process, Duration.ofSeconds(30))) {
        kill();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private void launch() {
    process =
        ServiceLaunch.start(
            name, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), httpPort, properties, jar, log);
  }
}
