package dev.agentos.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code nats-server} with JetStream on a free loopback port and its own store dir. It
 * can be killed and restarted on the same port and store, which fault tests use to simulate an
 * outage.
 */
public final class NatsServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final int port;
  private final Path storeDir;
  private final Path logFile;
  private final Path config;
  private final Map<String, String> env;
  private final List<String> clusterArgs;
  private Process process;

  private NatsServerProcess(
      Path binary,
      int port,
      Path storeDir,
      Path config,
      Map<String, String> env,
      List<String> clusterArgs) {
    this.binary = binary;
    this.port = port;
    this.storeDir = storeDir;
    this.logFile = storeDir.resolve("nats-server.log");
    this.config = config;
    this.env = Map.copyOf(env);
    this.clusterArgs = List.copyOf(clusterArgs);
  }

  /** The nats-server binary from {@code $NATS_SERVER_BIN} or the PATH, if there is one. */
  public static Optional<Path> findBinary() {
    String explicit = System.getenv("NATS_SERVER_BIN");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Optional.of(Path.of(explicit));
    }
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/bin"));
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, "nats-server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts a server on a free port with a fresh temp store dir. */
  public static NatsServerProcess start(Path binary) {
    try {
      Path store = Files.createTempDirectory("agentos-nats-");
      NatsServerProcess server =
          new NatsServerProcess(binary, FreePort.pick(), store, null, Map.of(), List.of());
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a store dir for nats-server", e);
    }
  }

  /**
   * Starts a server with a configuration file (accounts, permissions, TLS), on a free port with a
   * fresh temp store dir (the command line's port and store win over the file's). {@code env} fills
   * the {@code $VARIABLES} the file names.
   */
  public static NatsServerProcess start(Path binary, Path config, Map<String, String> env) {
    try {
      Path store = Files.createTempDirectory("agentos-nats-");
      NatsServerProcess server =
          new NatsServerProcess(binary, FreePort.pick(), store, config, env, List.of());
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a store dir for nats-server", e);
    }
  }

  /**
   * Starts one node of a cluster: {@code clusterArgs} name it and give its route port and routes
   * (see {@link NatsCluster}); its store dir is its own.
   */
  static NatsServerProcess startNode(
      Path binary, int port, Path storeDir, List<String> clusterArgs) {
    NatsServerProcess server =
        new NatsServerProcess(binary, port, storeDir, null, Map.of(), clusterArgs);
    server.launch();
    return server;
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path storeDir() {
    return storeDir;
  }

  /** SIGKILLs the server; its store dir stays, so {@link #restart()} brings the data back. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      if (!waitForExit(STOP_TIMEOUT)) {
        throw new IllegalStateException(
            "nats-server (pid " + process.pid() + ") is still alive after SIGKILL");
      }
    }
  }

  public void restart() {
    kill();
    launch();
  }

  /**
   * SIGTERM, wait for the exit, and start again on the same port and store, as a rolling upgrade
   * restarts a pod: the server leaves its cluster in good order and writes its store on the way
   * out.
   */
  public void restartGracefully() {
    terminate();
    launch();
  }

  /** SIGSTOP: the process stays, its sockets stay open, and it answers nothing until thawed. */
  public void freeze() {
    Processes.signal(process.pid(), "STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() {
    Processes.signal(process.pid(), "CONT");
  }

  /** The OS process id of the running server. */
  public long pid() {
    return process.pid();
  }

  /** The server's log, for a failure message that points at it. */
  public Path log() {
    return logFile;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Stops the server (SIGTERM, SIGKILL after {@link #STOP_TIMEOUT}) and only then removes the store
   * dir: after SIGTERM the server still writes its JetStream store on the way out.
   */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      Processes.signal(process.pid(), "CONT"); // a frozen server cannot act on SIGTERM
    }
    terminate();
    deleteRecursively(storeDir);
  }

  private void terminate() {
    if (process != null) {
      process.destroy();
      if (!waitForExit(STOP_TIMEOUT)) {
        kill();
      }
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    if (config != null) {
      command.addAll(List.of("-c", config.toString()));
    }
    command.addAll(
        List.of(
            "-a",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-js",
            "-sd",
            storeDir.resolve("js").toString()));
    command.addAll(clusterArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    Await.until(START_TIMEOUT, "nats-server to accept connections on port " + port, this::accepts);
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "nats-server exited with " + process.exitValue() + "; see " + logFile);
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp dir is harmless; the test result matters more than the cleanup.
    }
  }
}
