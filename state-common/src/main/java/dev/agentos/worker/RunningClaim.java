package dev.agentos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * What a running claim (of a whole phase, or of one step) keeps beside its lease: the state as last
 * written, the usage not written yet, the tasks of its heartbeat, and whether the worker stopped
 * it. Every write goes through {@link #write}, guarded by the subclass's lease check, and none is
 * made once the claim was stopped for a lost lease.
 */
abstract class RunningClaim implements PhaseContext, Claim {
  protected final Phase phase;
  protected final String owner;
  protected final WorkerServices services;
  protected final PendingUsage usage;
  private final StorageWait storage;
  private final List<Runnable> beatTasks = new CopyOnWriteArrayList<>();
  private volatile CycleStore.Versioned current;
  private StopReason stop = StopReason.NONE;
  private Thread runner;

  /**
   * Held around each of this claim's writes, so that the heartbeat's renewal and the logic's
   * checkpoint are never in flight at the same time. nats-server before July 2023 (PR 4319; the
   * Debian package is 2.9.10) checks a KV update's expected revision before the write goes through
   * the cluster's consensus, not as part of it: on a three-node cluster two updates of one key sent
   * together against the same revision could both succeed, and a renewal built on the state before
   * a step's checkpoint then put that step back to RUNNING (seen after a node was killed).
   */
  private final Object writing = new Object();

  RunningClaim(
      Phase phase,
      String owner,
      CycleStore.Versioned claimed,
      WorkerServices services,
      Duration storageWait) {
    this.phase = phase;
    this.owner = owner;
    this.current = claimed;
    this.services = services;
    this.usage = new PendingUsage(phase);
    this.storage = new StorageWait(storageWait, this::cancelled, this::waitingForRoom);
  }

  /**
   * {@code change} applied to {@code state} (the latest, with the usage to write added) once the
   * claim's lease was checked on it; throws CONFLICT or CANCELLED when the claim is gone.
   */
  protected abstract CycleState guarded(CycleState state, UnaryOperator<CycleState> change);

  /** Tells people why the work stands still: the store it writes to is full. */
  private void waitingForRoom(AgentOsException refused) {
    services
        .events()
        .publish(
            state(),
            EventType.RETRYING,
            ErrorCode.STORAGE_FULL
                + ": "
                + refused.getMessage()
                + "; the work keeps its claim and tries again, then pauses the cycle",
            null);
  }

  @Override
  public Phase phase() {
    return phase;
  }

  /** The lease owner of this claim: {@code <role>-<host>-<pid>/<thread slot>}. */
  String owner() {
    return owner;
  }

  @Override
  public CycleState state() {
    return current.state();
  }

  /** The state and revision of the last write this claim saw, to write on top of. */
  CycleStore.Versioned known() {
    return current;
  }

  /** True once the worker stopped the work, for whatever reason: the logic must stop too. */
  @Override
  public synchronized boolean cancelled() {
    return stop != StopReason.NONE;
  }

  @Override
  public synchronized StopReason stopReason() {
    return stop;
  }

  /**
   * Stops the work: the first reason given stands, and the logic's thread is interrupted while it
   * still runs, so that an agent call (whose process tree is killed on interrupt) ends now rather
   * than at the end of its step.
   */
  @Override
  public synchronized void stop(StopReason reason) {
    if (stop != StopReason.NONE) {
      return;
    }
    stop = reason;
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

  /**
   * Writes {@code change} on top of the last known state, guarded by this claim's lease, with the
   * unwritten usage. The first write that finds the claim gone throws CONFLICT or CANCELLED.
   */
  CycleStore.Versioned write(UnaryOperator<CycleState> change) {
    if (stopReason() == StopReason.LEASE_LOST) {
      throw new AgentOsException(
          ErrorCode.CONFLICT, "worker " + owner + " lost its lease on " + state().cycleId());
    }
    // Not under the write lock while it waits for room: the heartbeat's renewals go on.
    return storage.write(() -> writeOnce(change));
  }

  private CycleStore.Versioned writeOnce(UnaryOperator<CycleState> change) {
    synchronized (writing) {
      int mark = usage.mark();
      CycleStore.Versioned written =
          services.store().update(current, s -> guarded(usage.addTo(s, mark), change));
      usage.written(mark);
      refresh(written);
      return written;
    }
  }

  /** Writes {@code change}, usage not included, under the write lock: a renewal or a release. */
  void writeBare(UnaryOperator<CycleState> change) {
    synchronized (writing) {
      refresh(services.store().update(current, change));
    }
  }

  /**
   * Gives the claim back for a later delivery with {@code release}, writing the usage not written
   * yet with it (the attempt's agent calls cost what they cost).
   */
  void giveBack(UnaryOperator<CycleState> release) {
    synchronized (writing) {
      int mark = usage.mark();
      writeBare(s -> release.apply(usage.addTo(s, mark)));
      usage.written(mark);
    }
  }

  @Override
  public CycleState checkpoint(UnaryOperator<CycleState> change) {
    return write(s -> change.apply(s).toBuilder().updatedAt(services.clock().instant()).build())
        .state();
  }

  @Override
  public Usage uncommittedUsage() {
    return usage.unwritten();
  }

  @Override
  public void recordUsage(Usage used, String model) {
    usage.add(used, model);
    services.listener().agentUsage(phase, model, used);
  }

  @Override
  public ArtifactRef storeArtifact(String name, String content) {
    return storage.write(() -> services.artifacts().put(state().cycleId() + "/" + name, content));
  }

  @Override
  public ArtifactRef replaceArtifact(ArtifactRef stored, String content) {
    // Only what this cycle stored: its artifacts are kept under its id.
    if (!stored.artifact().startsWith(state().cycleId() + "/")) {
      throw new AgentOsException(
          ErrorCode.INTERNAL,
          "artifact " + stored.artifact() + " is not one of cycle " + state().cycleId());
    }
    return storage.write(() -> services.artifacts().put(stored.artifact(), content));
  }

  @Override
  public String readArtifact(ArtifactRef ref) {
    return services.artifacts().get(ref.artifact());
  }

  @Override
  public AutoCloseable onHeartbeat(Runnable task) {
    beatTasks.add(task);
    return () -> beatTasks.remove(task);
  }

  @Override
  public List<Runnable> beatTasks() {
    return beatTasks;
  }

  @Override
  public void event(EventType type, String message, JsonNode detail) {
    services.events().publish(state(), type, message, detail);
  }

  /** Keeps the newest of what the logic and the heartbeat wrote. */
  synchronized void refresh(CycleStore.Versioned written) {
    if (written.revision() > current.revision()) {
      current = written;
    }
  }
}
