package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.testing.Await;
import dev.agentos.testing.FreePort;
import dev.agentos.testing.NatsCluster;
import dev.agentos.testing.NatsServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code nats-server} with JetStream on a free port and a temp store, plus its HTTP
 * monitoring port: the bench reads message counts per connection from {@code /connz} and {@code
 * /varz}, which the test harness's server does not expose. With {@code --cluster}, three of them as
 * one JetStream cluster ({@link NatsCluster}), as production runs NATS.
 */
final class PrivateNatsServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path binary;
  private final Path store;
  private final int port = FreePort.pick();
  private final int monitorPort = FreePort.pick();
  private final Process process;

  private final NatsCluster cluster;

  private PrivateNatsServer(NatsCluster cluster) {
    this.binary = null;
    this.store = null;
    this.process = null;
    this.cluster = cluster;
  }

  private PrivateNatsServer(Path binary, Path store) {
    this.binary = binary;
    this.store = store;
    this.cluster = null;
    try {
      process =
          new ProcessBuilder(
                  binary.toString(),
                  "-a",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-m",
                  Integer.toString(monitorPort),
                  "-js",
                  "-sd",
                  store.resolve("js").toString())
              .redirectErrorStream(true)
              .redirectOutput(store.resolve("nats-server.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  /** Three nodes with routes and JetStream, each with its own store, client and monitor port. */
  static PrivateNatsServer startCluster() {
    return new PrivateNatsServer(NatsCluster.start(binary()));
  }

  static PrivateNatsServer start() {
    Path binary = binary();
    try {
      PrivateNatsServer server =
          new PrivateNatsServer(binary, Files.createTempDirectory("agentos-bench-nats-"));
      Await.until(Duration.ofSeconds(15), "nats-server to accept connections", server::accepts);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a store dir for nats-server", e);
    }
  }

  private static Path binary() {
    return NatsServerProcess.findBinary()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "nats-server is not installed: apt-get install -y nats-server, or put a"
                        + " release binary on the PATH (or in NATS_SERVER_BIN)"));
  }

  /** The client URL; with a cluster, every node's, separated by commas. */
  String url() {
    return cluster != null ? cluster.urls() : "nats://127.0.0.1:" + port;
  }

  /** The URLs as a client's options take them. */
  String[] urls() {
    return url().split(",");
  }

  /** JetStream replicas every stream and bucket gets: one per node. */
  int replicas() {
    return cluster != null ? NatsCluster.SIZE : 1;
  }

  /** The server processes (one, or one per node). */
  List<Long> pids() {
    return cluster != null
        ? cluster.nodes().stream().map(n -> n.server().pid()).toList()
        : List.of(process.pid());
  }

  /** {@link #monitor} of every node. */
  List<JsonNode> monitorAll(String pathAndQuery) {
    if (cluster == null) {
      return List.of(monitor(pathAndQuery));
    }
    return cluster.nodes().stream().map(n -> monitor(n.monitorPort(), pathAndQuery)).toList();
  }

  /** {@code /varz}, {@code /connz?limit=1000}, … of the (first node's) monitoring port, as JSON. */
  JsonNode monitor(String pathAndQuery) {
    return monitor(
        cluster != null ? cluster.nodes().get(0).monitorPort() : monitorPort, pathAndQuery);
  }

  private static JsonNode monitor(int monitorPort, String pathAndQuery) {
    try {
      HttpResponse<byte[]> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + pathAndQuery))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return Json.tree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("nats-server monitoring " + pathAndQuery + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "nats-server exited with "
              + process.exitValue()
              + "; see "
              + store.resolve("nats-server.log"));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * SIGTERM, SIGKILL after 10 s, and the store is removed only once the process has exited: after
   * SIGTERM the server still writes its JetStream store on the way out.
   */
  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
      return;
    }
    process.destroy();
    boolean interrupted = false;
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      process.destroyForcibly();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (process.isAlive()) {
      return; // a store still being written is left in place rather than half-removed
    }
    try (Stream<Path> paths = Files.walk(store)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp dir is harmless.
    }
  }
}
