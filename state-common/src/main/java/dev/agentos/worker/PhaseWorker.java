package dev.agentos.worker;

import dev.agentos.concurrent.DaemonThreads;
import dev.agentos.nats.Topology;
import dev.agentos.nats.WorkFetcher;
import dev.agentos.state.Phase;
import io.nats.client.ConsumerContext;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * The one worker every role runs, built of parts with one job each:
 *
 * <ul>
 *   <li>a {@link WorkFetcher}: one thread pulling from the role's durable consumer as many messages
 *       as there are free slots (one pull request at a time, however high the concurrency), so a
 *       busy replica never hoards work an idle one could do, each message run on a thread of its
 *       own;
 *   <li>{@link WorkDelivery}: claims the phase in the cycle's state and sees the delivery through;
 *   <li>{@link PhaseRun}: runs the role's logic with a {@link Heartbeat} beside it;
 *   <li>{@link FailurePolicy}: decides what a failure leads to (a pure function);
 *   <li>{@link Settlement}: commits the outcome and hands off, or carries out the decision;
 *   <li>{@link MaxDeliveries}: settles the messages JetStream gave up delivering.
 * </ul>
 *
 * Each slot is a lease owner of its own ({@code <worker id>/<slot>}), so a second delivery of a
 * message to another slot of the same process finds the phase busy.
 */
public final class PhaseWorker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PhaseWorker.class);

  private final Phase phase;
  private final ConsumerContext consumer;
  private final WorkerSettings settings;
  private final String workerId;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService leaseGuard;
  private final WorkDelivery delivery;
  private final MaxDeliveries maxDeliveries;
  private volatile WorkFetcher fetcher; // read without the lock by takesWork

  public PhaseWorker(
      PhaseLogic logic,
      ConsumerContext consumer,
      WorkerServices services,
      WorkerSettings settings,
      String workerId) {
    this.phase = logic.phase();
    this.consumer = consumer;
    this.settings = settings;
    this.workerId = workerId;
    this.heartbeats =
        Executors.newScheduledThreadPool(
            heartbeatThreads(settings.concurrency()),
            DaemonThreads.numbered("agentos-" + phase.role() + "-heartbeat"));
    this.leaseGuard =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("agentos-" + phase.role() + "-lease-guard"));
    PhaseRun run = new PhaseRun(settings, heartbeats, leaseGuard, services.faults());
    this.delivery = new WorkDelivery(logic, services, settings, run, this::takesWork);
    this.maxDeliveries = new MaxDeliveries(phase, services, settings.maxAttempts());
  }

  /**
   * A renewal is a write that waits for its reply (a few milliseconds, far more on a loaded
   * cluster), and every running phase needs one per third of the AckWait: one thread cannot keep up
   * with thousands of phases, so there is one per {@value #PHASES_PER_HEARTBEAT_THREAD} slots, up
   * to {@value #MAX_HEARTBEAT_THREADS}. A phase's own beats never overlap (a periodic task does not
   * run concurrently with itself), so each still makes one renewal per interval.
   */
  static int heartbeatThreads(int concurrency) {
    int wanted = (concurrency + PHASES_PER_HEARTBEAT_THREAD - 1) / PHASES_PER_HEARTBEAT_THREAD;
    return Math.max(1, Math.min(MAX_HEARTBEAT_THREADS, wanted));
  }

  private static final int PHASES_PER_HEARTBEAT_THREAD = 128;
  private static final int MAX_HEARTBEAT_THREADS = 16;

  public String workerId() {
    return workerId;
  }

  /** The cycles this process works on right now, for {@code agentos.<role>.status}. */
  public Set<String> inFlight() {
    return delivery.inFlight();
  }

  public synchronized void start() {
    if (fetcher != null) {
      throw new IllegalStateException("worker " + workerId + " is already started");
    }
    fetcher =
        WorkFetcher.start(
            "agentos-" + phase.role() + "-worker",
            consumer,
            settings.concurrency(),
            (message, slot) -> delivery.handle(message, workerId + "/" + slot));
    maxDeliveries.start();
    LOG.infof(
        "worker %s consumes %s in %d slot(s)",
        workerId, Topology.workSubject(phase), settings.concurrency());
  }

  /** Whether it takes new work: started, and not stopping. */
  private boolean takesWork() {
    WorkFetcher current = fetcher; // not under the lock: close() holds it while running work ends
    return current != null && current.isFetching();
  }

  /** Stops pulling; lets running phases finish for the drain timeout, then abandons them. */
  @Override
  public synchronized void close() {
    maxDeliveries.close();
    if (fetcher != null) {
      fetcher.stopFetching();
      fetcher.awaitStopped(settings.drainTimeout());
      if (!fetcher.isStopped()) {
        LOG.warnf("worker %s abandoned running phases after the drain timeout", workerId);
      }
    }
    heartbeats.shutdownNow();
    leaseGuard.shutdownNow();
  }
}
