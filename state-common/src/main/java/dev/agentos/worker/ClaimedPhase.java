package dev.agentos.worker;

import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Transitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One claim of a phase by one worker thread, and the context its logic runs in. Every write is
 * guarded by the phase's lease (see {@link RunningClaim}).
 */
final class ClaimedPhase extends RunningClaim {
  private final Object opening = new Object(); // not the monitor stop() needs
  private volatile PhaseWorkspace workspace; // made ready on first use
  private volatile String pushedHead; // pushed to the cycle branch, not recorded yet

  ClaimedPhase(
      Phase phase,
      String owner,
      CycleStore.Versioned claimed,
      WorkerServices services,
      Duration storageWait) {
    super(phase, owner, claimed, services, storageWait);
  }

  @Override
  protected CycleState guarded(CycleState state, UnaryOperator<CycleState> change) {
    Transitions.requireOwner(state, phase, owner);
    return change.apply(withPushedHead(state));
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
  public Optional<String> commitWork(String message) {
    return recorded(opened().commit(message));
  }

  @Override
  public Optional<String> commitWork(String message, List<Path> paths) {
    return recorded(opened().commit(message, paths));
  }

  /** {@code sha}, pushed, to be recorded as the branch's head with the next write. */
  private Optional<String> recorded(Optional<String> sha) {
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

  /**
   * Renews the lease (the heartbeat's write). It carries no usage: usage is recorded and written by
   * the logic's thread, and a renewal must stay a small write that cannot race it.
   */
  @Override
  public void renewLease(Duration leaseFor) {
    writeBare(s -> Transitions.renewLease(s, phase, owner, leaseFor, services.clock().instant()));
  }

  /**
   * Gives the phase back for a retry, with the usage not written yet (the attempt's agent calls
   * cost what they cost). Writes nothing else when the lease is no longer this claim's.
   */
  void releaseLease() {
    giveBack(s -> Transitions.releaseLease(s, owner, services.clock().instant()));
  }
}
