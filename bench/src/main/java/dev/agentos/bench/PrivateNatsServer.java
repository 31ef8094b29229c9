package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.testing.Await;
import dev.agentos.testing.FreePort;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code nats-server} with JetStream on a free port and a temp store, plus its HTTP
 * monitoring port: the bench reads message counts per connection from {@code /connz} and {@code
 * /varz}, which the test harness's server does not expose.
 */
final class PrivateNatsServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path binary;
  private final Path store;
  private final int port = FreePort.pick();
  private final int monitorPort = FreePort.pick();
  private final Process process;

  private PrivateNatsServer(Path binary, Path store) {
    this.binary = binary;
    this.store = store;
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

  static PrivateNatsServer start() {
    Path binary =
        NatsServerProcess.findBinary()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "nats-server is not installed: apt-get install -y nats-server, or put a"
                            + " release binary on the PATH (or in NATS_SERVER_BIN)"));
    try {
      PrivateNatsServer server =
          new PrivateNatsServer(binary, Files.createTempDirectory("agentos-bench-nats-"));
      Await.until(Duration.ofSeconds(15), "nats-server to accept connections", server::accepts);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a store dir for nats-server", e);
    }
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  Path binary() {
    return binary;
  }

  /** {@code /varz}, {@code /connz?limit=1000}, … of the monitoring port, as JSON. */
  JsonNode monitor(String pathAndQuery) {
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
