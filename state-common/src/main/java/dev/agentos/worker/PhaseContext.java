package dev.agentos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.nats.EventType;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** What phase logic sees of the cycle it runs, and how it records progress. */
public interface PhaseContext {
  /** The cycle as of the last claim or checkpoint. */
  CycleState state();

  /** The cycle's workspace directory, already confined to the configured root. */
  Path workspace();

  /**
   * In a git workspace: commits everything changed as one commit and pushes it to the cycle's
   * branch, leased on the commit recorded in the state, and returns it; the next checkpoint (or the
   * phase's outcome) records it as the branch's head, so nothing is recorded that was not pushed.
   * Empty for a local workspace, which Agent OS does not commit in.
   *
   * @throws dev.agentos.error.AgentOsException WORKSPACE_MOVED when the branch moved: the cycle
   *     pauses, nothing is overwritten
   */
  default Optional<String> commitWork(String message) {
    return Optional.empty();
  }

  /**
   * As {@link #commitWork(String)}, but the commit holds only {@code paths} (relative to {@link
   * #workspace}) as they are now, and not whatever else is changed in the workspace (a check's
   * build output, say); empty when none of them changed, or for a local workspace.
   */
  default Optional<String> commitWork(String message, List<Path> paths) {
    return Optional.empty();
  }

  /** How many times this phase has been started for this iteration, counting this one. */
  int attempt();

  /**
   * Whether the phase must stop: the cycle was cancelled, or the worker stopped the phase (its
   * lease was taken over, it ran past the maximum phase time). Logic checks it between steps.
   */
  boolean cancelled();

  /**
   * Writes {@code change} to the cycle with compare-and-set, after checking this worker still owns
   * the phase; it throws CANCELLED or CONFLICT when it does not, and the logic must stop. Usage
   * recorded since the last checkpoint is written with it.
   */
  CycleState checkpoint(UnaryOperator<CycleState> change);

  /**
   * Records steps of the current iteration's execution in one write (the executor's checkpoint): a
   * step starting, or a finished step together with the next one starting.
   */
  default CycleState checkpointSteps(StepRecord... steps) {
    return checkpoint(state -> withSteps(state, steps));
  }

  /**
   * Changes a step's record only while it is the running record of {@code attempt}: what a running
   * agent saves along the way (a CLI agent's session file, a model's last turn) never lands on a
   * record the step moved on to.
   */
  default CycleState checkpointRunningStep(
      String stepId, int attempt, UnaryOperator<StepRecord> change) {
    return checkpoint(
        state ->
            state
                .currentIteration()
                .executionOrEmpty()
                .step(stepId)
                .filter(r -> r.status() == StepStatus.RUNNING && r.attempts() == attempt)
                .map(r -> withSteps(state, change.apply(r)))
                .orElse(state));
  }

  static CycleState withSteps(CycleState state, StepRecord... steps) {
    Execution execution = state.currentIteration().executionOrEmpty();
    for (StepRecord step : steps) {
      execution = execution.with(step);
    }
    return state.withCurrentIteration(state.currentIteration().withExecution(execution));
  }

  /**
   * Adds an agent call's usage to the cycle at the next checkpoint or at the commit of the phase;
   * {@code model} is what answered, for accounting per model.
   */
  void recordUsage(Usage usage, String model);

  /** Usage recorded but not yet written to the cycle: what budget checks add to the state's. */
  Usage uncommittedUsage();

  /**
   * Keeps a large text (a transcript, a diff, a recap) in the artifact store and returns its
   * reference for the state; the name should be unique within the cycle.
   */
  ArtifactRef storeArtifact(String name, String content);

  /**
   * Stores {@code content} in place of the artifact {@code stored} this cycle stored, under its
   * name, and returns the new reference (a recap rewritten after it was stored): one object, so
   * nothing is left behind that the state no longer refers to.
   */
  default ArtifactRef replaceArtifact(ArtifactRef stored, String content) {
    throw new UnsupportedOperationException("this context keeps no artifacts to replace");
  }

  /** The text of an artifact this cycle stored (a saved agent session file, say). */
  default String readArtifact(ArtifactRef ref) {
    throw new UnsupportedOperationException("this context keeps no artifacts to read");
  }

  /**
   * Runs {@code task} after each heartbeat that renewed the lease, on the heartbeat's thread, until
   * the returned handle is closed: how a long agent call keeps something durable while it runs (a
   * CLI agent's session file). A task that fails is logged and tried again at the next beat.
   */
  default AutoCloseable onHeartbeat(Runnable task) {
    return () -> {};
  }

  /** Publishes a lifecycle event for the cycle (e.g. a step started). */
  void event(EventType type, String message, JsonNode detail);
}
