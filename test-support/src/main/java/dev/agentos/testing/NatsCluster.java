package dev.agentos.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Three {@code nats-server} processes on loopback that form one JetStream cluster, as production
 * runs NATS: each node has its own client, monitor and route port and its own store dir, and can be
 * SIGKILLed, frozen (SIGSTOP), thawed and restarted on its own. The leaders come from the servers
 * themselves: the meta leader from a node's {@code /jsz}, a stream's leader from its stream info.
 */
public final class NatsCluster implements AutoCloseable {
  public static final int SIZE = 3;
  public static final String CLUSTER_NAME = "agentos";
  private static final Duration FORMED = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** One node: its server name ({@code n1}…), its process and its monitor port. */
  public record Node(String name, NatsServerProcess server, int monitorPort) {
    public String url() {
      return server.url();
    }
  }

  private final Map<String, Node> nodes;

  private NatsCluster(Map<String, Node> nodes) {
    this.nodes = nodes;
  }

  /** Starts three nodes with routes to each other and waits until they have a meta leader. */
  public static NatsCluster start(Path binary) {
    int[] routePorts = new int[SIZE];
    for (int i = 0; i < SIZE; i++) {
      routePorts[i] = FreePort.pick();
    }
    String routes =
        java.util.Arrays.stream(routePorts)
            .mapToObj(p -> "nats://127.0.0.1:" + p)
            .collect(Collectors.joining(","));
    Map<String, Node> nodes = new LinkedHashMap<>();
    NatsCluster cluster = new NatsCluster(nodes);
    try {
      for (int i = 0; i < SIZE; i++) {
        String name = "n" + (i + 1);
        int monitor = FreePort.pick();
        Path store = Files.createTempDirectory("agentos-nats-" + name + "-");
        List<String> args =
            List.of(
                "-m",
                Integer.toString(monitor),
                "--name",
                name,
                "--cluster_name",
                CLUSTER_NAME,
                "--cluster",
                "nats://127.0.0.1:" + routePorts[i],
                "--routes",
                routes);
        nodes.put(
            name,
            new Node(
                name, NatsServerProcess.startNode(binary, FreePort.pick(), store, args), monitor));
      }
      cluster.awaitFormed(FORMED);
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException("cannot create a store dir for a cluster node", e);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Every node's client URL, comma-separated: what a client or a service is given. */
  public String urls() {
    return nodes.values().stream().map(Node::url).collect(Collectors.joining(","));
  }

  public List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  /** The node named {@code name} ({@code n1}, {@code n2}, {@code n3}). */
  public Node node(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node " + name + " in " + nodes.keySet());
    }
    return node;
  }

  /** The node whose client port is in {@code url} (a client's connected URL), if any. */
  public Optional<Node> nodeAt(String url) {
    return nodes.values().stream()
        .filter(n -> url != null && url.endsWith(":" + n.server().port()))
        .findFirst();
  }

  /** The nodes other than {@code node}. */
  public List<Node> others(Node node) {
    return nodes.values().stream().filter(n -> !n.equals(node)).toList();
  }

  /**
   * Waits until every running node answers and reports a meta leader in a cluster of {@link #SIZE}:
   * before that, creating an R3 stream fails with "insufficient resources".
   */
  public void awaitFormed(Duration timeout) {
    Await.until(
        timeout,
        "the NATS cluster to elect a meta leader (logs: " + logs() + ")",
        () ->
            nodes.values().stream()
                .filter(n -> n.server().isAlive())
                .allMatch(
                    n ->
                        jsz(n)
                            .map(
                                j ->
                                    !metaField(j, "leader").isEmpty()
                                        && metaInt(j, "cluster_size") == SIZE)
                            .orElse(false)));
  }

  /** Waits until {@code node}'s {@code /healthz} is OK: it is up and its JetStream is current. */
  public void awaitHealthy(Node node, Duration timeout) {
    Await.until(
        timeout,
        node.name() + " to be healthy (log: " + node.server().log() + ")",
        () -> httpStatus(node, "/healthz") == 200);
  }

  /** The meta leader's node, as a running node that answers sees it; empty while there is none. */
  public Optional<Node> metaLeader() {
    for (Node node : nodes.values()) {
      if (!node.server().isAlive()) {
        continue;
      }
      Optional<String> leader = jsz(node).map(j -> metaField(j, "leader"));
      if (leader.isPresent()) {
        return Optional.ofNullable(nodes.get(leader.get()));
      }
    }
    return Optional.empty();
  }

  /** The node that leads {@code stream} (a KV bucket's stream is {@code KV_<bucket>}). */
  public Optional<Node> streamLeader(Connection nc, String stream) {
    return clusterInfo(nc, stream).map(ClusterInfo::getLeader).map(nodes::get);
  }

  /**
   * Whether {@code stream} has a leader and every replica of it is current: after a restarted node
   * caught up, a next node may go down without the stream losing its quorum.
   */
  public boolean streamCurrent(Connection nc, String stream) {
    Optional<ClusterInfo> info = clusterInfo(nc, stream);
    if (info.isEmpty() || info.get().getLeader() == null) {
      return false;
    }
    List<Replica> replicas =
        info.get().getReplicas() == null ? List.of() : info.get().getReplicas();
    return replicas.size() == SIZE - 1
        && replicas.stream().allMatch(r -> r.isCurrent() && !r.isOffline());
  }

  private static Optional<ClusterInfo> clusterInfo(Connection nc, String stream) {
    try {
      return Optional.ofNullable(nc.jetStreamManagement().getStreamInfo(stream).getClusterInfo());
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      return Optional.empty(); // no leader at the moment: the request times out or is refused
    }
  }

  private Optional<JsonValue> jsz(Node node) {
    if (httpStatus(node, "/jsz") != 200) {
      return Optional.empty();
    }
    return get(node, "/jsz").map(JsonParser::parseUnchecked);
  }

  private static String metaField(JsonValue jsz, String field) {
    JsonValue meta = jsz.map == null ? null : jsz.map.get("meta_cluster");
    JsonValue value = meta == null || meta.map == null ? null : meta.map.get(field);
    return value == null || value.string == null ? "" : value.string;
  }

  private static int metaInt(JsonValue jsz, String field) {
    JsonValue meta = jsz.map == null ? null : jsz.map.get("meta_cluster");
    JsonValue value = meta == null || meta.map == null ? null : meta.map.get(field);
    return value == null || value.i == null ? 0 : value.i;
  }

  private static int httpStatus(Node node, String path) {
    return send(node, path).map(HttpResponse::statusCode).orElse(-1);
  }

  private static Optional<String> get(Node node, String path) {
    return send(node, path).filter(r -> r.statusCode() == 200).map(HttpResponse::body);
  }

  private static Optional<HttpResponse<String>> send(Node node, String path) {
    try {
      return Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.monitorPort() + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private String logs() {
    List<String> logs = new ArrayList<>();
    nodes.values().forEach(n -> logs.add(n.server().log().toString()));
    return String.join(", ", logs);
  }

  /** Thaws and stops every node, then removes their store dirs. */
  @Override
  public void close() {
    for (Node node : nodes.values()) {
      node.server().close();
    }
  }
}
