package dev.agentos.service;

import dev.agentos.api.ControlApi;
import dev.agentos.api.CycleEndings;
import dev.agentos.api.HistoryApi;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.api.KnowledgeApi;
import dev.agentos.api.Submissions;
import dev.agentos.api.TaskIntake;
import dev.agentos.history.HistoryStore;
import dev.agentos.knowledge.KnowledgeStore;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.EnqueueListener;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.Phase;
import dev.agentos.worker.Artifacts;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseWorker;
import dev.agentos.worker.Reconciler;
import dev.agentos.worker.WorkerListener;
import dev.agentos.worker.WorkerServices;
import dev.agentos.worker.WorkerSettings;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import io.nats.service.Service;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts what every role service runs, once NATS answers: the topology, the control API, the task
 * intake, the reconciler, the routed-enqueue listener, the role's own endpoints and its phase
 * worker. A service that starts before NATS keeps trying in the background and stays not-ready
 * until all of it runs.
 */
@ApplicationScoped
public class AgentOsRuntime {
  private static final Logger LOG = Logger.getLogger(AgentOsRuntime.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  @Inject Connection nc;
  @Inject AgentOsConfig config;
  @Inject Instance<PhaseLogic> logics;
  @Inject Instance<RoleEndpoints> roleEndpoints;
  @Inject Instance<WorkerListener> listeners;
  @Inject Instance<MessageTracing> tracing;
  @Inject Instructions instructions;
  @Inject ConfiguredRules rules;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
  String version;

  private final Clock clock = Clock.systemUTC();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<Service> services = new ArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile CycleStore store;
  private volatile Thread starter;

  void onStart(@Observes StartupEvent event) {
    starter = new Thread(this::startWhenNatsAnswers, "agentos-startup");
    starter.setDaemon(true);
    starter.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    if (starter != null) {
      starter.interrupt();
    }
    services.forEach(Service::stop);
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        LOG.warnf("stopping %s: %s", running.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
  }

  /** Whether everything runs; readiness reports DOWN until it does. */
  public boolean isStarted() {
    return started.getCount() == 0;
  }

  /** The cycle store, for role endpoints that read cycles; empty until started. */
  public Optional<CycleStore> store() {
    return Optional.ofNullable(store);
  }

  /** The worker id of this process, e.g. {@code executor-pod-7f9c-1234}. */
  public String workerId(String role) {
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "host";
      }
    }
    return role + "-" + host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  private void startWhenNatsAnswers() {
    while (!stopping) {
      try {
        startAll();
        started.countDown();
        LOG.info("Agent OS service is ready");
        return;
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        LOG.warnf("cannot start yet (%s); retrying in %s", e.getMessage(), RETRY);
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** What {@code agentos.<role>.status} answers: who this process is and what it works on. */
  public record RoleStatus(
      String role, String workerId, int concurrency, List<String> running, String version) {}

  /** The role's micro service {@code agentos-<role>}: its status and its own endpoints. */
  private JsonEndpoints roleService(Phase phase, PhaseWorker worker) {
    JsonEndpoints endpoints =
        new JsonEndpoints(
                "agentos-" + phase.role(),
                version,
                "Agent OS " + phase.role() + ": the " + phase + " phase",
                config.api().maxRequestBytes())
            .add(
                Topology.roleSubject(phase, "status"),
                body ->
                    new RoleStatus(
                        phase.role(),
                        worker.workerId(),
                        config.worker().concurrency(),
                        worker.inFlight().stream().sorted().toList(),
                        version));
    for (RoleEndpoints own : roleEndpoints) {
      own.addTo(endpoints);
    }
    return endpoints;
  }

  private synchronized void startAll() throws IOException, JetStreamApiException {
    AgentOsConfig.Worker w = config.worker();
    Topology.ensure(
        nc,
        new TopologySettings(
            config.nats().replicas(),
            w.ackWait(),
            w.maxDeliver(),
            w.maxAckPending(),
            config.nats().eventsMaxAge()));
    if (nc.getServerInfo() != null) {
      LOG.infof("NATS server %s", nc.getServerInfo().getVersion());
    }
    CycleStore cycles = CycleStore.open(nc);
    Events events = new Events(nc, clock);
    WorkspacePaths workspaces = new WorkspacePaths(config.workspace().root().map(Path::of));
    PhaseLogic logic = logics.isResolvable() ? logics.get() : null;
    MessageTracing messageTracing = tracing.isResolvable() ? tracing.get() : MessageTracing.NONE;
    WorkerListener listener = listeners.isResolvable() ? listeners.get() : WorkerListener.NONE;
    LOG.infof(
        "metrics: %s; tracing: %s",
        listener.getClass().getSimpleName(), messageTracing.getClass().getSimpleName());
    Handoff handoff =
        logic == null
            ? Handoff.unrestricted(nc)
            : Handoff.forRole(nc, logic.phase(), messageTracing);
    // Profiles and checks are read now, so a broken one fails start-up rather than a cycle.
    rules.profiles("");
    rules.checkCatalog();
    Submissions submissions =
        new Submissions(
            cycles,
            handoff,
            events,
            workspaces,
            rules.defaults(),
            new CatalogInstructionRules(instructions.catalog()),
            rules,
            clock);
    CycleEndings endings = new CycleEndings(HistoryStore.open(nc), submissions);

    JsonEndpoints api =
        new ControlApi(cycles, submissions, handoff, events, endings::ended, clock)
            .endpoints(version, config.api().maxRequestBytes());
    new KnowledgeApi(KnowledgeStore.open(nc)).addTo(api);
    new HistoryApi(HistoryStore.open(nc)).addTo(api);
    new InstructionsApi(instructions, workspaces).addTo(api);
    services.add(api.start(nc));

    StreamInfo tasks = nc.jetStreamManagement().getStreamInfo(Topology.TASKS_STREAM);
    TaskIntake intake =
        new TaskIntake(
            nc.getConsumerContext(Topology.TASKS_STREAM, Topology.INTAKE_CONSUMER),
            submissions,
            events,
            tasks.getCreateTime().toString(),
            clock);
    intake.start();
    running.add(intake);

    Reconciler reconciler =
        new Reconciler(
            cycles,
            handoff,
            events,
            nc.jetStreamManagement(),
            config.reconcile().interval(),
            config.reconcile().staleAfter().orElse(w.ackWait().multipliedBy(2)),
            config.reconcile().orphanAfter(),
            endings,
            clock);
    reconciler.start();
    running.add(reconciler);

    if (logic != null) {
      Phase phase = logic.phase();
      running.add(EnqueueListener.start(nc, phase, handoff, messageTracing));
      WorkerServices workerServices =
          new WorkerServices(
              cycles,
              handoff,
              events,
              new DeadLetters(nc.jetStream()),
              workspaces,
              Artifacts.open(nc),
              listener,
              messageTracing,
              endings::ended,
              clock);
      PhaseWorker worker =
          new PhaseWorker(
              logic,
              nc.getConsumerContext(Topology.WORK_STREAM, Topology.consumer(phase)),
              workerServices,
              new WorkerSettings(
                  w.concurrency(), w.ackWait(), w.maxDeliver(), w.retryDelays(), w.drainTimeout()),
              workerId(phase.role()));
      worker.start();
      running.add(worker);
      services.add(roleService(phase, worker).start(nc));
    }
    store = cycles;
  }
}
