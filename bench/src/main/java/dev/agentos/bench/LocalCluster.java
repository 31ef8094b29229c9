package dev.agentos.bench;

import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A private nats-server and the four packaged role services, each its own OS process, plus the
 * bench's own NATS connection. Scenarios change the services' configuration by restarting them; the
 * server (and so the data) stays.
 */
final class LocalCluster implements AutoCloseable {
  /** jnats would log every flow-control message of a busy KV watch at INFO otherwise. */
  static final ErrorListener QUIET = new ErrorListener() {};

  static final Duration READY = Duration.ofSeconds(120);
  private static final Duration STOP = Duration.ofSeconds(30);

  private final Path repoRoot;
  private final Path logDir;
  private final ServiceJvm jvm;
  private final PrivateNatsServer nats;
  private final Connection nc;
  private final Map<String, RoleProcess> services = new ConcurrentHashMap<>();
  private Map<String, String> properties;
  private volatile boolean closed;

  private LocalCluster(Path repoRoot, Path logDir, ServiceJvm jvm, boolean natsCluster)
      throws Exception {
    this.repoRoot = repoRoot;
    this.logDir = logDir;
    this.jvm = jvm;
    for (String role : Phase.roles()) {
      if (!Files.isRegularFile(jar(role))) {
        throw new IllegalStateException(
            jar(role)
                + " is missing; build the services first: mvn -B -DskipTests package"
                + " (bin/bench does it for you)");
      }
    }
    this.nats = natsCluster ? PrivateNatsServer.startCluster() : PrivateNatsServer.start();
    this.nc =
        Nats.connect(
            Options.builder()
                .errorListener(QUIET)
                .servers(nats.urls())
                .connectionName("agentos-bench")
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .build());
  }

  /**
   * Starts the server (three nodes when {@code natsCluster}) and one replica of every role with
   * {@code properties}.
   */
  static LocalCluster start(
      Path repoRoot,
      Path logDir,
      ServiceJvm jvm,
      boolean natsCluster,
      Map<String, String> properties)
      throws Exception {
    LocalCluster cluster = new LocalCluster(repoRoot, logDir, jvm, natsCluster);
    try {
      cluster.startRoles(properties);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  Connection nc() {
    return nc;
  }

  /** A connection of the bench's own to the servers, named {@code name}; the caller closes it. */
  Connection connect(String name) throws java.io.IOException, InterruptedException {
    return io.nats.client.Nats.connect(
        io.nats.client.Options.builder()
            .errorListener(QUIET)
            .servers(server().urls())
            .connectionName(name)
            .build());
  }

  PrivateNatsServer server() {
    return nats;
  }

  Path logDir() {
    return logDir;
  }

  RoleProcess service(String name) {
    RoleProcess service = services.get(name);
    if (service == null) {
      throw new IllegalArgumentException("no service named " + name);
    }
    return service;
  }

  /** Every running service, by name. */
  List<RoleProcess> services() {
    return services.values().stream()
        .sorted(java.util.Comparator.comparing(RoleProcess::name))
        .toList();
  }

  synchronized Map<String, String> properties() {
    return properties;
  }

  /**
   * Stops every service gracefully and starts one replica of each role again with {@code
   * newProperties}; replicas added since are gone.
   */
  synchronized void restartAll(Map<String, String> newProperties) {
    services.values().forEach(RoleProcess::requestStop);
    services.values().forEach(s -> s.awaitStopped(STOP));
    services.clear();
    startRoles(newProperties);
  }

  /** Stops {@code name} gracefully and starts it again with {@code newProperties}. */
  synchronized void restart(String name, Map<String, String> newProperties) {
    RoleProcess service = service(name);
    service.requestStop();
    service.awaitStopped(STOP);
    service.relaunch(withServer(newProperties));
    service.awaitReady(READY);
  }

  /** Starts another replica of {@code role}, named {@code name}, with {@code props}. */
  synchronized RoleProcess addReplica(String role, String name, Map<String, String> props) {
    RoleProcess replica = newProcess(role, name, props);
    services.put(name, replica);
    replica.launch();
    replica.awaitReady(READY);
    return replica;
  }

  /** Stops replica {@code name} gracefully and forgets it. */
  synchronized void removeReplica(String name) {
    RoleProcess replica = services.remove(name);
    if (replica != null) {
      replica.requestStop();
      replica.awaitStopped(STOP);
    }
  }

  private void startRoles(Map<String, String> newProperties) {
    properties = Map.copyOf(newProperties);
    for (String role : Phase.roles()) {
      services.put(role, newProcess(role, role, properties));
    }
    // All four start at once: on two cores that is faster than one after the other.
    services.values().forEach(RoleProcess::launch);
    services.values().forEach(s -> s.awaitReady(READY));
  }

  private RoleProcess newProcess(String role, String name, Map<String, String> props) {
    return new RoleProcess(
        name,
        role,
        jar(role),
        withServer(props),
        logDir,
        jvm.options(),
        jvm.recordingDir(role, logDir));
  }

  private Map<String, String> withServer(Map<String, String> props) {
    Map<String, String> all = new LinkedHashMap<>(props);
    all.put("agentos.nats.servers", nats.url());
    all.put("agentos.nats.replicas", Integer.toString(nats.replicas()));
    return all;
  }

  private Path jar(String role) {
    return repoRoot.resolve(role + "-service/target/quarkus-app/quarkus-run.jar");
  }

  /** Stops everything: services gracefully (then by force), the connection, the server. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    services.values().forEach(RoleProcess::requestStop);
    services.values().forEach(s -> s.awaitStopped(STOP));
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nats.close();
  }

  /**
   * For the JVM's shutdown hook (Ctrl-C, an error): SIGKILLs every process without taking the lock,
   * which the interrupted bench may still hold.
   */
  void forceStop() {
    if (closed) {
      return;
    }
    closed = true;
    services.values().forEach(RoleProcess::kill);
    nats.close();
  }
}
