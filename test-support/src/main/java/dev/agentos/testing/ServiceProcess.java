package dev.agentos.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
  private ClassDataArchives.Use classData;

  /** The agent commands it ran when asked to stop: they outlive its JVM unless killed after it. */
  private List<ProcessHandle> childrenAtStop = List.of();

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
    processEnded();
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

  /**
   * SIGTERM without waiting: the service begins its graceful shutdown. Stopping several at once
   * this way, then {@link #close()} on each, takes the longest shutdown instead of their sum.
   */
  public void stop() {
    if (process != null && process.isAlive()) {
      childrenAtStop = process.descendants().toList();
      process.destroy();
    }
  }

  /**
   * Ends the process once its test is over and nothing of its shutdown is checked: SIGKILL (with
   * its agent commands) at once, as a graceful stop spends seconds on draining and flushing that
   * nobody reads. A process that writes its class data archive as it exits gets SIGTERM instead;
   * {@link #close()} waits for it.
   */
  public void discard() {
    if (classData != null && classData.dumpTo().isPresent()) {
      stop();
    } else {
      kill();
    }
  }

  /** SIGTERM (unless {@link #stop()} sent it) and wait, so the service shuts down gracefully. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    stop();
    if (!ServiceLaunch.waitFor(process, stopTimeout())) {
      ServiceLaunch.kill(process);
    }
    childrenAtStop.forEach(ProcessHandle::destroyForcibly);
    childrenAtStop = List.of();
    processEnded();
  }

  private void launch() {
    classData = ClassDataArchives.forLaunch(jar);
    List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    options.addAll(classData.jvmOptions());
    process = ServiceLaunch.start(name, options, httpPort, properties, jar, log);
  }

  /**
   * How long a graceful stop may take before SIGKILL: longer for a JVM that writes its class data
   * archive on the way out (tens of seconds on two busy cores), which a SIGKILL would throw away.
   */
  private Duration stopTimeout() {
    return classData != null && classData.dumpTo().isPresent()
        ? Duration.ofSeconds(120)
        : Duration.ofSeconds(30);
  }

  /** Once the process is gone: the class data archive it was to write, if any, is kept or not. */
  private void processEnded() {
    if (classData != null && process != null && !process.isAlive()) {
      classData.ended(process.exitValue());
      classData = null;
    }
  }
}
