package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Lease;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One claim of one step of a parallel plan by one worker slot: every write is guarded by the step's
 * own lease ({@link ParallelSteps#requireOwner}), and the step works in a worktree of its own, on
 * its own branch.
 */
final class ClaimedStep extends RunningClaim implements StepContext {
  private final int iteration;
  private final String stepId;
  private final Object opening = new Object();
  private volatile StepWorkspace workspace; // made ready on first use
  private Optional<String> startAt; // guarded by opening; used by the first worktree only
  private Set<String> completedAtStart = Set.of(); // guarded by opening: as its worktree opened

  /**
   * {@code startAt}: the merge this process just pushed, which the step waits for (a chain's next
   * link, {@link ParallelSteps#continuation}); the step's first worktree starts there without a
   * fetch. A re-run after a conflict starts from the remote's head.
   */
  ClaimedStep(
      String owner,
      CycleStore.Versioned claimed,
      String stepId,
      Optional<String> startAt,
      WorkerServices services,
      Duration storageWait) {
    super(Phase.EXECUTE, owner, claimed, services, storageWait);
    this.iteration = claimed.state().iteration();
    this.stepId = stepId;
    this.startAt = startAt;
  }

  @Override
  public String stepId() {
    return stepId;
  }

  @Override
  public String what() {
    return phase + " step " + stepId;
  }

  /**
   * Keeps the step's lease on its record whatever the logic writes: a retry of the step's agent
   * writes a new RUNNING record of its own, which must stay this claim's.
   */
  @Override
  protected CycleState guarded(CycleState state, UnaryOperator<CycleState> change) {
    Lease held = ParallelSteps.requireOwner(state, iteration, stepId, owner).lease();
    CycleState changed = change.apply(state);
    Optional<StepRecord> record = changed.currentIteration().executionOrEmpty().step(stepId);
    if (record.isPresent()
        && record.get().status() == StepStatus.RUNNING
        && record.get().lease() == null) {
      return PhaseContext.withSteps(changed, record.get().withLease(held));
    }
    return changed;
  }

  @Override
  public Path workspace() {
    return opened().directory();
  }

  private StepWorkspace opened() {
    synchronized (opening) {
      if (workspace == null) {
        completedAtStart = completed(state());
        workspace = services.workspaces().openStep(state(), stepId, startAt);
        startAt = Optional.empty();
      }
      return workspace;
    }
  }

  /** Gives up the step's worktree, once the step has settled. */
  void closeWorkspace() {
    synchronized (opening) {
      if (workspace != null) {
        workspace.close();
        workspace = null;
      }
    }
  }

  @Override
  public Optional<String> commitWork(String message) {
    return opened().commit(message);
  }

  @Override
  public StepMerge mergeIntoCycle(String subject, Consumer<Path> atMerge) {
    StepWorkspace opened = opened();
    return opened.mergeIntoCycle(subject, atMerge, anotherStepMergedSinceTheStart());
  }

  /**
   * Whether the state records the end of a step that completed after this step's worktree opened:
   * its merge was pushed before its end was written, so the cycle branch moved, and a fast-forward
   * push would only be refused (a round trip to the remote lost). A read that fails says no: the
   * push tries.
   */
  private boolean anotherStepMergedSinceTheStart() {
    Set<String> before;
    synchronized (opening) {
      before = completedAtStart;
    }
    try {
      return services
          .store()
          .get(state().cycleId())
          .map(now -> completed(now.state()).stream().anyMatch(id -> !before.contains(id)))
          .orElse(false);
    } catch (AgentOsException e) {
      return false;
    }
  }

  private static Set<String> completed(CycleState state) {
    return state.currentIteration().executionOrEmpty().steps().stream()
        .filter(r -> r.status() == StepStatus.COMPLETED)
        .map(StepRecord::id)
        .collect(Collectors.toSet());
  }

  @Override
  public String startHead() {
    return opened().startHead();
  }

  @Override
  public List<String> changedFiles() {
    return opened().changedFiles();
  }

  @Override
  public void keepOnStepBranch() {
    opened().keepOnStepBranch();
  }

  @Override
  public void startOver() {
    closeWorkspace();
  }

  /** How many times the step was started, counting this claim. */
  @Override
  public int attempt() {
    return state()
        .currentIteration()
        .executionOrEmpty()
        .step(stepId)
        .map(StepRecord::attempts)
        .orElse(1);
  }

  @Override
  public void renewLease(Duration leaseFor) {
    writeBare(
        s ->
            ParallelSteps.renew(s, iteration, stepId, owner, leaseFor, services.clock().instant()));
  }

  /** Gives the step back for the next delivery, with the usage not written yet. */
  void release() {
    giveBack(s -> ParallelSteps.release(s, iteration, stepId, owner, services.clock().instant()));
  }

  /**
   * Writes the step's end ({@link ParallelSteps#ended}) and, in the same compare-and-set, what
   * {@code andThen} makes of the state while the cycle still executes (the claim of the step this
   * worker goes on with). On the write that finds every step done (the cycle moves to EXPRESSING)
   * the cycle branch's head is recorded: every other step's merge was pushed before its own end was
   * written, so the head read now holds them all.
   */
  CycleStore.Versioned end(StepRecord ended, UnaryOperator<CycleState> andThen) {
    return write(
        s -> {
          CycleState next =
              ParallelSteps.ended(s, iteration, ended, owner, services.clock().instant());
          if (next.status() == s.status()) {
            return andThen.apply(next);
          }
          return next.toBuilder()
              .workspace(next.workspace().withGitHead(opened().cycleHead()))
              .build();
        });
  }
}
