package dev.agentos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Transitions;
import dev.agentos.state.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One claim of a phase by one worker thread, and the context its logic runs in: the state as last
 * written, the usage not written yet, and whether the worker stopped it. Every write is guarded by
 * the claim's lease owner, and none is made once the claim was stopped for a lost lease.
 */
final class ClaimedPhase implements PhaseContext {
  private final Phase phase;
  private final String owner;
  private final Object opening = new Object(); // not the monitor stop() needs
  private volatile PhaseWorkspace workspace; // made ready on first use
  private volatile String pushedHead; // pushed to the cycle branch, not recorded yet
  private final WorkerServices services;
  private final PendingUsage usage;
  private volatile CycleStore.Versioned current;

  /**
   * Held around each of this claim's writes, so that the heartbeat's renewal and the logic's
   * checkpoint are never in flight at the same time. nats-server before July 2023 (PR 4319; the
   * Debian package is 2.9.10) checks a KV update's expected revision before the write goes through
   * the cluster's consensus, not as part of it: on a three-node cluster two updates of one key sent
   * together against the same revision could both succeed, and a renewal built on the state before
   * a step's checkpoint then put that step back to RUNNING (seen after a node was killed).
   */
  private final Object writing = new Object();

  private StopReason stop = StopReason.NONE;
  private Thread runner;

  private final StorageWait storage;

  ClaimedPhase(
      Phase phase,
      String owner,
      CycleStore.Versioned claimed,
      WorkerServices services,
      java.time.Duration storageWait) {
    this.phase = phase;
    this.owner = owner;
    this.current = claimed;
    this.services = services;
    this.usage = new PendingUsage(phase);
    this.storage = new StorageWait(storageWait, this::cancelled, this::waitingForRoom);
  }

  /** Tells people why the phase stands still: the store it writes to is full. */
  private void waitingForRoom(AgentOsException refused) {
    services
        .events()
        .publish(
            state(),
            EventType.RETRYING,
            ErrorCode.STORAGE_FULL
                + ": "
                + refused.getMessage()
                + "; the phase keeps its claim and tries again, then pauses the cycle",
            null);
  }

  Phase phase() {
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

  @Override
  public Path workspace() {
    return opened().directory();
  }

  /**
   * The cycle's workspace, made ready on the first call (a git branch fetched and checked out); a
   * branch created now has its commit recorded with the next write.
   */
  private PhaseWorkspace opened() {
    synchronized (opening) {
      if (workspace == null) {
        PhaseWorkspace ready = services.workspaces().open(state());
        pushedHead = ready.createdHead().orElse(null);
        workspace = ready;
      }
      return workspace;
    }
  }

  /** Gives up what the workspace held, once the phase has settled. */
  void closeWorkspace() {
    PhaseWorkspace ready = workspace;
    if (ready != null) {
      ready.close();
    }
  }

  @Override
  public java.util.Optional<String> commitWork(String message) {
    java.util.Optional<String> sha = opened().commit(message);
    sha.ifPresent(pushed -> pushedHead = pushed);
    return sha;
  }

  /** The state with the commit last pushed to its branch, when one is not recorded yet. */
  private CycleState withPushedHead(CycleState state) {
    String head = pushedHead;
    if (head == null
        || state.workspace() == null
        || state.workspace().git() == null
        || head.equals(state.workspace().git().head())) {
      return state;
    }
    return state.toBuilder().workspace(state.workspace().withGitHead(head)).build();
  }

  @Override
  public int attempt() {
    return state().attempts();
  }

  /** True once the worker stopped the phase, for whatever reason: the logic must stop too. */
  @Override
  public synchronized boolean cancelled() {
    return stop != StopReason.NONE;
  }

  synchronized StopReason stopReason() {
    return stop;
  }

  /**
   * Stops the phase: the first reason given stands, and the logic's thread is interrupted while it
   * still runs, so that an agent call (whose process tree is killed on interrupt) ends now rather
   * than at the end of its step.
   */
  synchronized void stop(StopReason reason) {
    if (stop != StopReason.NONE) {
      return;
    }
    stop = reason;
    if (runner != null) {
      runner.interrupt();
    }
  }

  private final List<Runnable> beatTasks = new java.util.concurrent.CopyOnWriteArrayList<>();

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
   * unwritten usage. The first write that finds the phase gone throws CONFLICT or CANCELLED.
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
          services
              .store()
              .update(
                  current,
                  s -> {
                    Transitions.requireOwner(s, phase, owner);
                    return change.apply(withPushedHead(usage.addTo(s, mark)));
                  });
      usage.written(mark);
      refresh(written);
      return written;
    }
  }

  @Override
  public CycleState checkpoint(UnaryOperator<CycleState> change) {
    return write(s -> change.apply(s).toBuilder().updatedAt(services.clock().instant()).build())
        .state();
  }

  @Override
  public CycleState checkpointSteps(StepRecord... steps) {
    CycleState written = checkpoint(s -> PhaseContext.withSteps(s, steps));
    for (StepRecord step : steps) {
      if (step != null && step.status().isDone()) {
        services.listener().stepFinished(written, step);
      }
    }
    return written;
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

  /**
   * Renews the lease (the heartbeat's write). It carries no usage: usage is recorded and written by
   * the logic's thread, and a renewal must stay a small write that cannot race it.
   */
  void renewLease(java.time.Duration leaseFor) {
    synchronized (writing) {
      refresh(
          services
              .store()
              .update(
                  current,
                  s ->
                      Transitions.renewLease(
                          s, phase, owner, leaseFor, services.clock().instant())));
    }
  }

  /**
   * Gives the phase back for a retry, with the usage not written yet (the attempt's agent calls
   * cost what they cost). Writes nothing else when the lease is no longer this claim's.
   */
  void releaseLease() {
    synchronized (writing) {
      int mark = usage.mark();
      refresh(
          services
              .store()
              .update(
                  current,
                  s ->
                      Transitions.releaseLease(
                          usage.addTo(s, mark), owner, services.clock().instant())));
      usage.written(mark);
    }
  }

  @Override
  public ArtifactRef storeArtifact(String name, String content) {
    return storage.write(() -> services.artifacts().put(state().cycleId() + "/" + name, content));
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

  /** What runs after each renewal of this claim's lease; see {@link #onHeartbeat}. */
  List<Runnable> beatTasks() {
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
