package dev.agentos.service;

import dev.agentos.api.ControlApi;
import dev.agentos.api.CycleEndings;
import dev.agentos.api.CycleRecordsApi;
import dev.agentos.api.DocumentQuotas;
import dev.agentos.api.HistoryApi;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.api.KnowledgeApi;
import dev.agentos.api.ProjectAdmission;
import dev.agentos.api.ProjectsApi;
import dev.agentos.api.Signoffs;
import dev.agentos.api.Submissions;
import dev.agentos.api.TaskIntake;
import dev.agentos.error.AgentOsException;
import dev.agentos.git.CycleDelivery;
import dev.agentos.git.GitAwareWorkspaces;
import dev.agentos.git.GitCacheSweep;
import dev.agentos.git.GitCheckouts;
import dev.agentos.git.GitCredentials;
import dev.agentos.git.GitSettings;
import dev.agentos.git.IsolatedWorktrees;
import dev.agentos.history.HistoryStore;
import dev.agentos.knowledge.KnowledgeStore;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.EnqueueListener;
import dev.agentos.nats.EventLog;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import dev.agentos.nats.SettledCycles;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.process.ProcessLimits;
import dev.agentos.project.ProjectRegistry;
import dev.agentos.state.Phase;
import dev.agentos.worker.Artifacts;
import dev.agentos.worker.CycleRetention;
import dev.agentos.worker.FaultPoints;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseWorker;
import dev.agentos.worker.PhaseWorkspaces;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
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
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile CycleStore store;
  private volatile GitCheckouts gitCheckouts;
  private volatile Thread starter;
  private volatile Startup startup;
  private final AtomicReference<SettledCycles> settledCycles = new AtomicReference<>();

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
    Startup current = startup;
    if (current != null) {
      current.close();
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

  /**
   * The index of the cycles bucket's keys (settled or not, status of each latest write); empty
   * until the reconciler starts.
   */
  public Optional<SettledCycles> cycleIndex() {
    return Optional.ofNullable(settledCycles.get());
  }

  /**
   * This process's git cache (the one its worker checks cycles out of), for role endpoints that
   * read or change a cycle's branch; empty until built.
   */
  public Optional<GitCheckouts> gitCheckouts() {
    return Optional.ofNullable(gitCheckouts);
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
    StartFaults faults = StartFaults.fromSystemProperties();
    while (!stopping) {
      try {
        Startup built = build(faults);
        built.start();
        startup = built;
        if (stopping) {
          built.close();
          return;
        }
        started.countDown();
        LOG.info("Agent OS service is ready");
        return;
      } catch (Exception e) {
        LOG.warnf("cannot start yet (%s); retrying in %s", e.getMessage(), config.startRetry());
      }
      try {
        Thread.sleep(config.startRetry().toMillis());
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

  /**
   * Builds everything the service runs, and returns the parts to start in order. Whatever can fail
   * against NATS (the topology, stream and consumer look-ups, the object store) happens here,
   * before anything starts answering or pulling.
   */
  private Startup build(StartFaults faults) throws IOException, JetStreamApiException {
    AgentOsConfig.Worker w = config.worker();
    AgentOsConfig.Processes p = config.process();
    ProcessLauncher.useLimits(
        new ProcessLimits(p.outputHeadBytes(), p.outputTailBytes(), p.outputStoreBytes()));
    Topology.ensure(
        nc,
        new TopologySettings(
            config.nats().replicas(),
            w.ackWait(),
            w.maxDeliver(),
            w.maxAckPending(),
            config.nats().eventsMaxAge(),
            new TopologySettings.StorageLimits(
                config.nats().maxBytes().streams(),
                config.nats().maxBytes().buckets(),
                config.nats().maxBytes().artifacts())));
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
    // A role that needs tools (the executor) configured with a model that cannot call them.
    rules
        .toolless("", Map.of())
        .ifPresent(
            why -> {
              throw AgentOsException.invalid("the service cannot start: " + why);
            });
    rules.checkCatalog();
    ProjectRegistry projects = ProjectRegistry.open(nc, clock);
    Submissions submissions =
        new Submissions(
            cycles,
            handoff,
            events,
            workspaces,
            rules.defaults(),
            new CatalogInstructionRules(instructions.catalog()),
            rules,
            new ProjectAdmission(projects, config.projects().required()),
            clock);
    GitAwareWorkspaces gitWorkspaces = gitAwareWorkspaces(workspaces);
    GitCacheSweep gitCache = gitCacheSweep(cycles);
    CycleEndings endings =
        new CycleEndings(HistoryStore.open(nc), submissions)
            .then(gitCache::cycleEnded)
            .then(new CycleDelivery(gitCheckouts, cycles, clock)::deliver);

    // Followed once the reconciler starts; until then `list` pages list the bucket's keys.
    JsonEndpoints api =
        new ControlApi(
                cycles, submissions, handoff, events, endings::ended, new Signoffs(projects), clock)
            .listingFrom(settledCycles::get)
            .endpoints(version, config.api().maxRequestBytes());
    DocumentQuotas documentQuotas = new DocumentQuotas(projects);
    new KnowledgeApi(KnowledgeStore.open(nc), documentQuotas, projects).addTo(api);
    new HistoryApi(HistoryStore.open(nc), projects).addTo(api);
    new CycleRecordsApi(
            cycles,
            new EventLog(nc, Duration.ofSeconds(5)),
            Artifacts.open(nc),
            nc.getServerInfo() == null ? 1024 * 1024 : nc.getServerInfo().getMaxPayload())
        .addTo(api);
    new ProjectsApi(projects).addTo(api);
    new InstructionsApi(instructions, workspaces, documentQuotas).addTo(api);

    StreamInfo tasks = nc.jetStreamManagement().getStreamInfo(Topology.TASKS_STREAM);
    TaskIntake intake =
        new TaskIntake(
            nc.getConsumerContext(Topology.TASKS_STREAM, Topology.INTAKE_CONSUMER),
            submissions,
            events,
            tasks.getCreateTime().toString(),
            config.api().maxRequestBytes(),
            clock);
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
    reconciler.retaining(
        new CycleRetention(
            config.retention().endedCycles(), cycles, nc.objectStore(Topology.ARTIFACTS_STORE)));

    Startup startup =
        new Startup(faults)
            .add("api", () -> stopping(api.start(nc)))
            .add(
                "intake",
                () -> {
                  intake.start();
                  return intake;
                })
            .add(
                "reconciler",
                () -> {
                  settledCycles.set(SettledCycles.follow(nc));
                  reconciler.indexedBy(settledCycles.get()).start();
                  return reconciler;
                })
            .add(
                "git-cache",
                () -> {
                  gitCache.start();
                  return gitCache;
                });
    if (logic != null) {
      Phase phase = logic.phase();
      WorkerServices workerServices =
          new WorkerServices(
              cycles,
              handoff,
              events,
              new DeadLetters(nc.jetStream()),
              gitWorkspaces,
              Artifacts.open(nc),
              listener,
              messageTracing,
              endings::ended,
              clock,
              FaultPoints.fromSystemProperties());
      PhaseWorker worker =
          new PhaseWorker(
              logic,
              nc.getConsumerContext(Topology.WORK_STREAM, Topology.consumer(phase)),
              workerServices,
              new WorkerSettings(
                  w.concurrency(),
                  w.ackWait(),
                  w.maxDeliver(),
                  w.retryDelays(),
                  w.drainTimeout(),
                  w.leaseSkew(),
                  w.maxPhaseTime(),
                  w.storageWait()),
              workerId(phase.role()));
      JsonEndpoints own = roleService(phase, worker);
      startup
          .add("enqueue", () -> EnqueueListener.start(nc, phase, handoff, messageTracing))
          .add(
              "worker",
              () -> {
                worker.start();
                return worker;
              })
          .add("role-api", () -> stopping(own.start(nc)));
    }
    startup.add(
        "store",
        () -> {
          store = cycles;
          return () -> store = null;
        });
    return startup;
  }

  /** Local, isolated and git workspaces, git's from {@code agentos.workspace.git.*}. */
  private GitAwareWorkspaces gitAwareWorkspaces(WorkspacePaths workspaces) {
    AgentOsConfig.Git git = config.workspace().git();
    Path cache =
        git.cacheDir()
            .map(Path::of)
            .orElseGet(
                () ->
                    Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "agentos-git-" + ProcessHandle.current().pid()));
    GitCredentials credentials =
        new GitCredentials(
            git.token().orElse(null),
            git.sshKeyFile().map(Path::of).orElse(null),
            git.knownHostsFile().map(Path::of).orElse(null));
    GitSettings settings =
        new GitSettings(cache, git.networkTimeout(), git.localTimeout(), credentials);
    gitCheckouts = new GitCheckouts(settings, ProcessLauncher.standard());
    return new GitAwareWorkspaces(
        PhaseWorkspaces.local(workspaces),
        gitCheckouts,
        new IsolatedWorktrees(settings, ProcessLauncher.standard()));
  }

  /**
   * Keeps this process's git cache bounded ({@code agentos.workspace.git.cache-*}): a cycle counts
   * as ended when the store says so or no longer has it.
   */
  private GitCacheSweep gitCacheSweep(CycleStore cycles) {
    AgentOsConfig.Git git = config.workspace().git();
    return new GitCacheSweep(
        gitCheckouts,
        id -> cycles.get(id).map(v -> v.state().status().isFinal()).orElse(true),
        new GitCacheSweep.Limits(
            git.cacheMaxAge(), git.cacheMaxBytes(), git.cacheSweepInterval(), 500),
        clock);
  }

  /** A started micro service, as a part to stop. */
  private static AutoCloseable stopping(Service service) {
    return service::stop;
  }
}
