package dev.agentos.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The NATS server a test talks to. In order of preference: a private {@code nats-server} from the
 * PATH, the server at {@code NATS_URL} (which must be a throwaway server: the test wipes every
 * stream on it), or a Testcontainers container where a Docker engine runs. With none of them, the
 * test is skipped with the reason.
 */
public final class TestNats implements AutoCloseable {
  private final String url;
  private final NatsServerProcess process;
  private final GenericContainer<?> container;
  private final NatsCluster cluster;
  private final UnaryOperator<Options.Builder> credentials;

  private TestNats(
      String url, NatsServerProcess process, GenericContainer<?> container, NatsCluster cluster) {
    this(url, process, container, cluster, UnaryOperator.identity());
  }

  private TestNats(
      String url,
      NatsServerProcess process,
      GenericContainer<?> container,
      NatsCluster cluster,
      UnaryOperator<Options.Builder> credentials) {
    this.url = url;
    this.process = process;
    this.container = container;
    this.cluster = cluster;
    this.credentials = credentials;
  }

  /**
   * A private nats-server started with {@code config} (accounts, permissions, TLS); {@link
   * #connect()} connects with {@code credentials} (a user, TLS settings). Skipped without a
   * nats-server binary: a configuration needs a server of our own.
   */
  public static TestNats startWithConfig(
      Path config, Map<String, String> env, UnaryOperator<Options.Builder> credentials) {
    Optional<Path> binary = NatsServerProcess.findBinary();
    if (binary.isEmpty()) {
      Assumptions.abort("this test needs a nats-server binary to start with its own configuration");
    }
    NatsServerProcess process = NatsServerProcess.start(binary.get(), config, env);
    return new TestNats(process.url(), process, null, null, credentials);
  }

  /**
   * A private three-node JetStream cluster ({@link NatsCluster}); {@link #url()} lists every node.
   * Needs nats-server on the PATH: without it the test is skipped with the reason.
   */
  public static TestNats startCluster() {
    Optional<java.nio.file.Path> binary = NatsServerProcess.findBinary();
    if (binary.isEmpty()) {
      Assumptions.abort(
          "a NATS cluster test needs nats-server on the PATH: apt-get install -y nats-server");
    }
    NatsCluster cluster = NatsCluster.start(binary.get());
    return new TestNats(cluster.urls(), null, null, cluster);
  }

  public static TestNats start() {
    Optional<java.nio.file.Path> binary = NatsServerProcess.findBinary();
    if (binary.isPresent()) {
      NatsServerProcess process = NatsServerProcess.start(binary.get());
      return new TestNats(process.url(), process, null, null);
    }
    String external = System.getenv("NATS_URL");
    if (external != null && !external.isBlank()) {
      wipeStreams(external);
      return new TestNats(external, null, null, null);
    }
    if (dockerAvailable()) {
      GenericContainer<?> container =
          new GenericContainer<>("nats:2.10-alpine")
              .withCommand("-js")
              .withExposedPorts(4222)
              .waitingFor(Wait.forLogMessage(".*Server is ready.*", 1));
      container.start();
      String url = "nats://" + container.getHost() + ":" + container.getMappedPort(4222);
      return new TestNats(url, null, container, null);
    }
    Assumptions.abort(
        "no NATS server for this test: install nats-server (apt-get install -y nats-server), "
            + "set NATS_URL to a throwaway server, or run a Docker engine");
    throw new IllegalStateException("unreachable");
  }

  /** The client URL, or every node's URL separated by commas for a cluster. */
  public String url() {
    return url;
  }

  /** The private cluster, for tests that kill, freeze and restart its nodes. */
  public NatsCluster cluster() {
    if (cluster == null) {
      Assumptions.abort("this test needs a private three-node NATS cluster");
    }
    return cluster;
  }

  /** The private server process, for fault tests that kill and restart it. */
  public NatsServerProcess process() {
    if (process == null) {
      Assumptions.abort("this test needs a private nats-server process it can restart");
    }
    return process;
  }

  public Connection connect() {
    return connect(credentials);
  }

  /** A connection with other credentials than the default ones (another user, TLS settings). */
  public Connection connect(UnaryOperator<Options.Builder> with) {
    try {
      return Nats.connect(
          with.apply(
                  Options.builder()
                      .servers(url.split(","))
                      .connectionTimeout(Duration.ofSeconds(5))
                      .maxReconnects(-1)
                      .reconnectWait(Duration.ofMillis(200)))
              .build());
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + url, e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    if (container != null) {
      container.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  private static void wipeStreams(String url) {
    try (Connection nc = Nats.connect(url)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      for (String stream : jsm.getStreamNames()) {
        jsm.deleteStream(stream);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare NATS_URL=" + url + " for a test", e);
    }
  }
}
