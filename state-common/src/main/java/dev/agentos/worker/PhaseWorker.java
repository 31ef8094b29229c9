package dev.agentos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import dev.agentos.nats.Topology;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Transitions;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.ConsumerContext;
import io.nats.client.Message;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The one loop every role runs: fetch a work message from the role's durable consumer, claim the
 * phase in the cycle's state, run the role's logic while a timer keeps the message and the lease
 * alive, commit the outcome and the transition with compare-and-set, hand off to the next phase,
 * and ack. Each of its {@code concurrency} threads pulls one message at a time, so a busy replica
 * never hoards work that an idle one could do.
 */
public final class PhaseWorker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PhaseWorker.class);
  private static final Duration PULL_WAIT = Duration.ofSeconds(2);
  private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);

  private final PhaseLogic logic;
  private final Phase phase;
  private final ConsumerContext consumer;
  private final CycleStore store;
  private final Handoff handoff;
  private final Events events;
  private final DeadLetters deadLetters;
  private final WorkspacePaths workspaces;
  private final Artifacts artifacts;
  private final WorkerListener listener;
  private final MessageTracing tracing;
  private final java.util.function.Consumer<CycleState> ended;
  private final WorkerSettings settings;
  private final String workerId;

  /**
   * The lease owner of the phase a puller thread runs: the process's worker id and the thread's
   * slot. Two threads of one process are two owners, so a second delivery of a message to another
   * thread finds the phase busy instead of claiming it again.
   */
  private final ThreadLocal<String> owner = new ThreadLocal<>();

  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  private final Clock clock;
  private final ExecutorService pullers;
  private final ScheduledExecutorService heartbeats;
  private final FaultPoints faults = FaultPoints.fromSystemProperties();
  private final MaxDeliveries maxDeliveries;
  private volatile boolean running = true;

  public PhaseWorker(
      PhaseLogic logic,
      ConsumerContext consumer,
      WorkerServices services,
      WorkerSettings settings,
      String workerId) {
    this.logic = logic;
    this.phase = logic.phase();
    this.consumer = consumer;
    this.store = services.store();
    this.handoff = services.handoff();
    this.events = services.events();
    this.deadLetters = services.deadLetters();
    this.workspaces = services.workspaces();
    this.artifacts = services.artifacts();
    this.listener = services.listener();
    this.tracing = services.tracing();
    this.ended = services.ended();
    this.settings = settings;
    this.workerId = workerId;
    this.clock = services.clock();
    this.pullers =
        Executors.newFixedThreadPool(
            settings.concurrency(), named("agentos-" + phase.role() + "-worker"));
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(named("agentos-" + phase.role() + "-heartbeat"));
    this.maxDeliveries = new MaxDeliveries(phase, services, settings.maxAttempts());
  }

  public String workerId() {
    return workerId;
  }

  public void start() {
    for (int i = 0; i < settings.concurrency(); i++) {
      int slot = i + 1;
      pullers.submit(() -> pullLoop(slot));
    }
    maxDeliveries.start();
    LOG.infof(
        "worker %s consumes %s with %d thread(s)",
        workerId, Topology.workSubject(phase), settings.concurrency());
  }

  /** Stops pulling; lets running phases finish for the drain timeout, then abandons them. */
  @Override
  public void close() {
    running = false;
    maxDeliveries.close();
    pullers.shutdown();
    try {
      if (!pullers.awaitTermination(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf("worker %s abandons running phases after the drain timeout", workerId);
        pullers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pullers.shutdownNow();
    }
    heartbeats.shutdownNow();
  }

  private String owner() {
    String current = owner.get();
    return current == null ? workerId : current;
  }

  private void pullLoop(int slot) {
    owner.set(workerId + "/" + slot);
    while (running) {
      Message message;
      try {
        message = consumer.next(PULL_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // NATS is away (restart, network): the connection reconnects on its own; pull again soon.
        LOG.debugf("worker %s cannot pull: %s", workerId, e.getMessage());
        pause(OUTAGE_PAUSE);
        continue;
      }
      if (message != null) {
        try {
          handle(message);
        } catch (RuntimeException e) {
          LOG.errorf(e, "worker %s failed on a message; it will be redelivered", workerId);
        }
      }
    }
  }

  /** Handles one delivery of a work message, from claim to ack. */
  void handle(Message message) {
    WorkMessage work;
    try {
      work = Json.read(message.getData(), WorkMessage.class);
    } catch (AgentOsException e) {
      LOG.errorf("worker %s terminates an unreadable work message: %s", workerId, e.getMessage());
      message.term();
      return;
    }
    if (work.phase() != phase || work.cycleId() == null) {
      LOG.errorf("worker %s terminates a work message for %s", workerId, work.phase());
      message.term();
      return;
    }
    tracing.inSpan(
        "agentos." + phase.token(),
        message.getHeaders(),
        work.cycleId(),
        () -> {
          claimAndRun(message, work);
          return null;
        });
  }

  private void claimAndRun(Message message, WorkMessage work) {
    AtomicReference<ClaimDecision> decision = new AtomicReference<>();
    CycleStore.Versioned current;
    try {
      current =
          store.update(
              work.cycleId(),
              state -> {
                ClaimDecision d =
                    Transitions.claim(
                        state,
                        work.iteration(),
                        phase,
                        owner(),
                        settings.ackWait(),
                        settings.maxAttempts(),
                        clock.instant());
                decision.set(d);
                return d instanceof ClaimDecision.Claimed claimed ? claimed.state() : state;
              });
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        LOG.warnf(
            "cycle=%s phase=%s dropping work for a cycle that does not exist",
            work.cycleId(), phase);
        message.ack();
      } else {
        LOG.warnf("cycle=%s phase=%s cannot claim: %s", work.cycleId(), phase, e.getMessage());
        message.nakWithDelay(settings.retryDelay(1));
      }
      return;
    }

    ClaimDecision d = decision.get();
    if (d instanceof ClaimDecision.Stale stale) {
      LOG.debugf("cycle=%s phase=%s stale message: %s", work.cycleId(), phase, stale.reason());
      handoff.ensureEnqueued(current.state());
      message.ack();
    } else if (d instanceof ClaimDecision.Busy busy) {
      Duration wait = Duration.between(clock.instant(), busy.until()).plusMillis(100);
      message.nakWithDelay(wait.isNegative() ? Duration.ZERO : wait);
    } else if (d instanceof ClaimDecision.Exhausted exhausted) {
      String reason =
          phase + " was started " + exhausted.attempts() + " times without finishing (MaxDeliver)";
      failAndPark(message, work, ErrorCode.MAX_DELIVER_EXHAUSTED, reason);
    } else if (d instanceof ClaimDecision.Claimed) {
      // The lease was written after the delivery: restart the message's AckWait now, so that the
      // message outlives the lease. Were it the other way round, the redelivery after a crash would
      // find the dead worker's lease still live and spend a delivery on a Busy nak.
      message.inProgress();
      listener.claimed(current.state(), phase, message.metaData().deliveredCount());
      inFlight.add(work.cycleId());
      try {
        run(message, current);
      } finally {
        inFlight.remove(work.cycleId());
      }
    }
  }

  /** The cycles this process works on right now, for {@code agentos.<role>.status}. */
  public Set<String> inFlight() {
    return Set.copyOf(inFlight);
  }

  private void run(Message message, CycleStore.Versioned claimedVersion) {
    CycleState claimed = claimedVersion.state();
    String cycleId = claimed.cycleId();
    long started = System.nanoTime();
    LOG.infof(
        "cycle=%s phase=%s iteration=%d claimed by %s (attempt %d, delivery %d)",
        cycleId,
        phase,
        claimed.iteration(),
        owner(),
        claimed.attempts(),
        message.metaData().deliveredCount());
    events.publish(claimed, Events.CLAIMED, owner(), null);
    WorkerContext context;
    try {
      Path workspace = workspaces.workspace(claimed.workspace().path());
      context = new WorkerContext(claimedVersion, workspace);
    } catch (AgentOsException e) {
      finishWith(
          message, claimed, new PhaseOutcome.Failed(e.code(), e.getMessage()), null, started);
      return;
    }
    Heartbeat heartbeat = new Heartbeat(message, context);
    context.runsOn(Thread.currentThread());
    heartbeat.start();
    PhaseOutcome outcome;
    try {
      faults.beforeLogic(phase);
      outcome = logic.run(context);
    } catch (AgentOsException e) {
      heartbeat.stop();
      context.ran();
      if (e.code() == ErrorCode.BUDGET_EXHAUSTED) {
        // A limit is a decision about the cycle, not a failure to retry: pause (or fail) it.
        finishWith(
            message,
            context.state(),
            new PhaseOutcome.BudgetExhausted(e.getMessage()),
            context,
            started);
        return;
      }
      onFailure(message, context, e.code(), e.getMessage(), e);
      return;
    } catch (Exception e) {
      heartbeat.stop();
      context.ran();
      onFailure(message, context, ErrorCode.INTERNAL, String.valueOf(e.getMessage()), e);
      return;
    } finally {
      heartbeat.stop();
      context.ran();
    }
    finishWith(message, context.state(), outcome, context, started);
  }

  private void finishWith(
      Message message,
      CycleState state,
      PhaseOutcome outcome,
      WorkerContext context,
      long startedNanos) {
    String cycleId = state.cycleId();
    CycleState committed;
    try {
      java.util.function.UnaryOperator<CycleState> commit =
          s -> {
            Transitions.requireOwner(s, phase, owner());
            CycleState withUsage = context == null ? s : context.withPendingUsage(s);
            return Commit.apply(withUsage, phase, outcome, clock.instant());
          };
      committed =
          (context == null ? store.update(cycleId, commit) : store.update(context.known(), commit))
              .state();
    } catch (AgentOsException e) {
      onFailure(message, context, e.code(), e.getMessage(), e);
      return;
    }
    faults.afterCommit(phase, cycleId);
    if (context != null) {
      context.usageCommitted();
    }
    listener.phaseCommitted(committed, phase, Duration.ofNanos(System.nanoTime() - startedNanos));
    LOG.infof(
        "cycle=%s phase=%s iteration=%d -> %s",
        cycleId, phase, state.iteration(), committed.status());
    events.publish(committed, Events.TRANSITION, phase + " done", null);
    ended.accept(committed);
    try {
      handoff.publish(committed);
    } catch (AgentOsException e) {
      // The state moved on but the next phase was not told: the redelivery of this message
      // finds it stale and re-sends the hand-off.
      LOG.warnf(
          "cycle=%s phase=%s hand-off failed, will retry: %s", cycleId, phase, e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    message.ack();
  }

  private void onFailure(
      Message message, WorkerContext context, ErrorCode code, String text, Exception cause) {
    CycleState state = context == null ? null : context.state();
    String cycleId = state == null ? "?" : state.cycleId();
    if (code == ErrorCode.CANCELLED || (context != null && context.cancelled())) {
      // Whatever the interrupted logic threw on its way out, the cause is the cancel.
      LOG.infof("cycle=%s phase=%s stopped: the cycle was cancelled", cycleId, phase);
      message.ack();
      return;
    }
    if (code == ErrorCode.CONFLICT) {
      // Another worker owns the phase now (our lease lapsed); its delivery carries the work.
      LOG.warnf("cycle=%s phase=%s gave up: %s", cycleId, phase, text);
      return;
    }
    boolean retrying =
        code.retryable() && state != null && state.attempts() < settings.maxAttempts();
    if (state != null) {
      listener.phaseFailed(state, phase, code, retrying);
    }
    if (retrying) {
      Duration delay = settings.retryDelay(state.attempts());
      LOG.warnf(
          cause,
          "cycle=%s phase=%s iteration=%d attempt %d failed (%s), retrying in %s",
          cycleId,
          phase,
          state.iteration(),
          state.attempts(),
          text,
          delay);
      try {
        store.update(
            cycleId,
            s -> context.withPendingUsage(Transitions.releaseLease(s, owner(), clock.instant())));
        context.usageCommitted();
      } catch (AgentOsException e) {
        LOG.warnf("cycle=%s could not release its lease: %s", cycleId, e.getMessage());
      }
      events.publish(state, Events.RETRYING, code + ": " + text, null);
      message.nakWithDelay(delay);
      return;
    }
    LOG.errorf(cause, "cycle=%s phase=%s failed: %s %s", cycleId, phase, code, text);
    WorkMessage work = Json.read(message.getData(), WorkMessage.class);
    failAndPark(message, work, code, text);
  }

  private void failAndPark(Message message, WorkMessage work, ErrorCode code, String reason) {
    try {
      CycleState failed =
          store
              .update(
                  work.cycleId(),
                  s ->
                      s.status().isFinal() ? s : Transitions.fail(s, code, reason, clock.instant()))
              .state();
      events.publish(failed, Events.TRANSITION, code + ": " + reason, null);
      ended.accept(failed);
    } catch (AgentOsException e) {
      LOG.errorf("cycle=%s could not be marked FAILED: %s", work.cycleId(), e.getMessage());
      message.nakWithDelay(settings.retryDelay(1));
      return;
    }
    if (code == ErrorCode.MAX_DELIVER_EXHAUSTED || code.retryable()) {
      deadLetters.park(message, phase, work.cycleId(), code + ": " + reason);
    }
    message.term();
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The context a phase runs in: the state as last written, and the usage not yet written. */
  private final class WorkerContext implements PhaseContext {
    private final Path workspace;
    private volatile CycleStore.Versioned current;
    private volatile boolean cancelled;
    private Thread runner;
    private final List<dev.agentos.state.Usage> pendingUsage = new ArrayList<>();
    private final List<String> pendingModels = new ArrayList<>();
    private int committedUsage;
    private final String leaseOwner = owner();

    WorkerContext(CycleStore.Versioned current, Path workspace) {
      this.current = current;
      this.workspace = workspace;
    }

    @Override
    public CycleState state() {
      return current.state();
    }

    /** The state and revision of the last write this worker saw, to write on top of. */
    CycleStore.Versioned known() {
      return current;
    }

    @Override
    public Path workspace() {
      return workspace;
    }

    @Override
    public int attempt() {
      return state().attempts();
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }

    /**
     * Marks the cycle cancelled and interrupts the phase's thread while the logic still runs, so
     * that a long agent call (a command agent is killed on interrupt) stops now rather than at the
     * end of its step.
     */
    synchronized void markCancelled() {
      cancelled = true;
      if (runner != null) {
        runner.interrupt();
      }
    }

    synchronized void runsOn(Thread thread) {
      runner = thread;
    }

    /** The logic has returned: no interrupt may reach the thread any more, and none is left. */
    synchronized void ran() {
      if (runner != null) {
        runner = null;
        Thread.interrupted();
      }
    }

    @Override
    public CycleState checkpoint(java.util.function.UnaryOperator<CycleState> change) {
      CycleStore.Versioned written =
          store.update(
              current,
              s -> {
                Transitions.requireOwner(s, phase, leaseOwner);
                return withPendingUsage(change.apply(s)).toBuilder()
                    .updatedAt(clock.instant())
                    .build();
              });
      usageCommitted();
      refresh(written);
      return written.state();
    }

    @Override
    public CycleState checkpointSteps(dev.agentos.state.StepRecord... steps) {
      CycleState written = checkpoint(s -> PhaseContext.withSteps(s, steps));
      for (dev.agentos.state.StepRecord step : steps) {
        if (step.status().isDone()) {
          listener.stepFinished(written, step);
        }
      }
      return written;
    }

    @Override
    public synchronized dev.agentos.state.Usage uncommittedUsage() {
      dev.agentos.state.Usage sum = dev.agentos.state.Usage.ZERO;
      for (int i = committedUsage; i < pendingUsage.size(); i++) {
        sum = sum.plus(pendingUsage.get(i));
      }
      return sum;
    }

    @Override
    public synchronized void recordUsage(dev.agentos.state.Usage usage, String model) {
      pendingUsage.add(usage);
      pendingModels.add(model);
      listener.agentUsage(phase, model, usage);
    }

    @Override
    public dev.agentos.state.ArtifactRef storeArtifact(String name, String content) {
      return artifacts.put(state().cycleId() + "/" + name, content);
    }

    @Override
    public void event(String type, String message, JsonNode detail) {
      events.publish(state(), type, message, detail);
    }

    /** {@code s} plus the usage recorded since the last write; pure, so it may run again. */
    synchronized CycleState withPendingUsage(CycleState s) {
      CycleState result = s;
      for (int i = committedUsage; i < pendingUsage.size(); i++) {
        result =
            result.toBuilder()
                .usage(result.usageOrNone().add(phase, pendingUsage.get(i), pendingModels.get(i)))
                .build();
      }
      return result;
    }

    synchronized void usageCommitted() {
      committedUsage = pendingUsage.size();
    }

    /** Keeps the newest of what the logic and the heartbeat wrote. */
    synchronized void refresh(CycleStore.Versioned written) {
      if (written.revision() > current.revision()) {
        current = written;
      }
    }
  }

  /** Keeps the message and the lease alive while the phase runs, and notices a cancel. */
  private final class Heartbeat {
    private final Message message;
    private final WorkerContext context;
    private java.util.concurrent.ScheduledFuture<?> task;

    Heartbeat(Message message, WorkerContext context) {
      this.message = message;
      this.context = context;
    }

    void start() {
      long every = settings.heartbeatEvery().toMillis();
      task = heartbeats.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
      if (task != null) {
        task.cancel(false);
        task = null;
      }
    }

    private void beat() {
      String cycleId = context.state().cycleId();
      try {
        // Lease first, then the message: the message's AckWait must end after the lease does.
        CycleStore.Versioned renewed =
            store.update(
                context.known(),
                s ->
                    Transitions.renewLease(
                        s, phase, context.leaseOwner, settings.ackWait(), clock.instant()));
        context.refresh(renewed);
        message.inProgress();
      } catch (AgentOsException e) {
        if (e.code() == ErrorCode.CANCELLED) {
          LOG.infof("cycle=%s phase=%s cancel noticed by the heartbeat", cycleId, phase);
          context.markCancelled();
        } else {
          LOG.warnf("cycle=%s phase=%s heartbeat: %s", cycleId, phase, e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.warnf("cycle=%s phase=%s heartbeat failed: %s", cycleId, phase, e.getMessage());
      }
    }
  }

  /** Exposed for the worker's clock-based decisions in tests. */
  Instant now() {
    return clock.instant();
  }
}
