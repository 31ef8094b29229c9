package dev.agentos.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.testing.FakeOpenAiServer;
import dev.agentos.testing.ServiceProcess;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A private nats-server and the four packaged role services, each its own OS process, as a user
 * would run them. Tests talk to it over NATS only.
 */
final class Cluster implements AutoCloseable {
  /** A deadline, not a wait: at load 39 on two cores a service JVM took 55 s to be ready. */
  static final Duration READY = Duration.ofSeconds(120);

  final TestNats nats;
  final Connection nc;
  final CycleStore store;
  final Path logDir;
  private final Map<String, String> properties;
  private final Map<String, Map<String, String>> roleProperties;
  private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
  private final Set<String> withExtraSettings = new LinkedHashSet<>();

  private Cluster(
      TestNats nats,
      Path logDir,
      Map<String, String> properties,
      Map<String, Map<String, String>> roleProperties)
      throws Exception {
    this.nats = nats;
    this.logDir = logDir;
    this.properties = properties;
    this.roleProperties = roleProperties;
    Connection connection = null;
    long startedAt = System.nanoTime();
    try {
      connection = nats.connect();
      for (String role : Phase.roles()) {
        services.put(role, startService(role, role));
      }
      for (ServiceProcess service : services.values()) {
        service.awaitReady(READY);
      }
      // In the test's output, so that a slow build shows whether start-ups or tests grew.
      System.out.printf(
          "cluster: %d services ready in %d ms%n",
          services.size(), Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
      this.nc = connection;
      this.store = CycleStore.open(nc);
    } catch (Exception | Error e) {
      // The test class never gets a cluster to close: stop what was started, or it outlives the
      // build (a nats-server per failed class).
      stopAll(connection);
      throw e;
    }
  }

  /** Starts nats-server and the four services with the recording agent and {@code overrides}. */
  static Cluster start(Map<String, String> overrides) throws Exception {
    return start(TestNats.start(), overrides, Map.of());
  }

  /**
   * Starts nats-server and the four services with the executor's agent a chat model on {@code
   * model} (a fake OpenAI-compatible server), and {@code overrides}.
   */
  static Cluster withModelExecutor(
      FakeOpenAiServer model, String apiKey, Map<String, String> overrides) throws Exception {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("agentos.agents.executor.backend", "openai");
    properties.put("agentos.agents.executor.model", "gpt-test");
    properties.put("agentos.agents.executor.base-url", model.baseUrl());
    properties.put("agentos.agents.executor.api-key", apiKey);
    properties.putAll(overrides);
    return start(properties);
  }

  /**
   * Starts the four services on a three-node NATS cluster, given every node's URL, with every
   * stream, bucket and store created with three replicas as in production.
   */
  static Cluster startOnNatsCluster(Map<String, String> overrides) throws Exception {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("agentos.nats.replicas", "3");
    properties.putAll(overrides);
    return start(TestNats.startCluster(), properties, Map.of());
  }

  /**
   * The four services on {@code nats} (a server started with a configuration of its own, or a
   * cluster), each role with {@code roleProperties.get(role)} besides the rest: its NATS user, say.
   */
  static Cluster start(
      TestNats nats, Map<String, String> overrides, Map<String, Map<String, String>> roleProperties)
      throws Exception {
    Path logDir;
    try {
      logDir = Files.createTempDirectory("agentos-e2e-logs-");
    } catch (Exception e) {
      nats.close();
      throw e;
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("agentos.nats.servers", nats.url());
    properties.put("agentos.agents.executor.command", "bash " + agentScript("recording-agent.sh"));
    properties.put("agentos.worker.ack-wait", "6s");
    properties.put("agentos.worker.retry-delays", "200ms,500ms");
    properties.put("agentos.reconcile.interval", "2s");
    properties.putAll(overrides);
    return new Cluster(nats, logDir, properties, roleProperties);
  }

  static Path repoRoot() {
    return Path.of(System.getProperty("agentos.repo.root", "..")).toAbsolutePath().normalize();
  }

  static Path agentScript(String name) {
    return repoRoot().resolve("e2e-tests/src/test/resources/agents/" + name);
  }

  ServiceProcess service(String name) {
    return services.get(name);
  }

  /** Starts another replica of {@code role} under {@code name}. */
  ServiceProcess addReplica(String role, String name) {
    ServiceProcess replica = startService(role, name);
    services.put(name, replica);
    return replica.awaitReady(READY);
  }

  /** Starts another replica of {@code role} under {@code name} with {@code extra} properties. */
  ServiceProcess addReplica(String role, String name, Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(properties);
    merged.putAll(extra);
    Path jar = repoRoot().resolve(role + "-service/target/quarkus-app/quarkus-run.jar");
    ServiceProcess replica = ServiceProcess.start(name, jar, merged, logDir);
    services.put(name, replica);
    return replica.awaitReady(READY);
  }

  /** Every service process by name, in start order (replicas included). */
  Map<String, ServiceProcess> services() {
    return java.util.Collections.unmodifiableMap(services);
  }

  /** The properties every service starts with. */
  Map<String, String> properties() {
    return Map.copyOf(properties);
  }

  /** SIGKILLs {@code name} and starts it again with the cluster's properties plus {@code extra}. */
  ServiceProcess restartWith(String name, Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(properties);
    merged.putAll(extra);
    ServiceProcess service = services.get(name);
    service.restart(merged);
    if (extra.isEmpty()) {
      withExtraSettings.remove(name);
    } else {
      withExtraSettings.add(name);
    }
    return service.awaitReady(READY);
  }

  /**
   * Starts again with the cluster's own settings every service that a test restarted with extra
   * ones and did not take them back (it failed half-way): its fault hook must not reach the next
   * test.
   */
  void restoreSettings() {
    for (String name : List.copyOf(withExtraSettings)) {
      restartWith(name, Map.of());
    }
  }

  /** Stops replica {@code name} for good (SIGKILL) and forgets it. */
  void remove(String name) {
    ServiceProcess service = services.remove(name);
    if (service != null) {
      service.kill();
    }
  }

  private ServiceProcess startService(String role, String name) {
    Path jar = repoRoot().resolve(role + "-service/target/quarkus-app/quarkus-run.jar");
    Map<String, String> own = new LinkedHashMap<>(properties);
    own.putAll(roleProperties.getOrDefault(role, Map.of()));
    return ServiceProcess.start(name, jar, own, logDir);
  }

  /** Sends a request and returns the reply message (body and headers). */
  Message request(String subject, String body) throws Exception {
    Message reply =
        nc.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    if (reply == null) {
      throw new AssertionError("no reply on " + subject);
    }
    return reply;
  }

  JsonNode requestJson(String subject, String body) throws Exception {
    return Json.tree(request(subject, body).getData());
  }

  CycleState state(String cycleId) {
    return store.require(cycleId);
  }

  CycleState awaitStatus(String cycleId, Status status, Duration timeout) {
    Await.until(
        timeout,
        "cycle " + cycleId + " to reach " + status + " (logs: " + logDir + ")",
        () -> {
          CycleState s = store.get(cycleId).map(CycleStore.Versioned::state).orElse(null);
          if (s != null && s.status().isFinal() && s.status() != status) {
            throw new AssertionError("cycle ended " + s.status() + " with " + s.error());
          }
          return s != null && s.status() == status;
        });
    return state(cycleId);
  }

  /** Closes each of {@code things} that was started (null: never started), in order. */
  static void closeAll(AutoCloseable... things) throws Exception {
    for (AutoCloseable thing : things) {
      if (thing != null) {
        thing.close();
      }
    }
  }

  /** Submits the spec of {@code workspace} (see {@link Workspaces#submit}) and returns the id. */
  String submit(Path workspace, String options) throws Exception {
    return requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, options))
        .path("cycle_id")
        .asText();
  }

  /** Every event of the cycle so far, in order. */
  List<CycleEvent> events(String cycleId) throws Exception {
    JetStreamSubscription sub =
        nc.jetStream()
            .subscribe(
                Topology.EVENTS_PREFIX + cycleId + ".>",
                PullSubscribeOptions.builder().stream(Topology.EVENTS_STREAM)
                    .configuration(
                        ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build())
                    .build());
    try {
      List<CycleEvent> events = new ArrayList<>();
      for (Message m : sub.fetch(1000, Duration.ofSeconds(1))) {
        events.add(Json.read(m.getData(), CycleEvent.class));
      }
      return events;
    } finally {
      sub.unsubscribe();
    }
  }

  @Override
  public void close() throws Exception {
    long stoppingAt = System.nanoTime();
    stopAll(nc);
    System.out.printf(
        "cluster: stopped in %d ms%n", Duration.ofNanos(System.nanoTime() - stoppingAt).toMillis());
  }

  private void stopAll(Connection connection) throws Exception {
    // All at once: what is left to wait for (a JVM writing its class data archive) runs side by
    // side, in the time of the slowest.
    services.values().forEach(ServiceProcess::discard);
    for (ServiceProcess service : services.values()) {
      service.close();
    }
    if (connection != null) {
      connection.close();
    }
    nats.close();
  }
}
