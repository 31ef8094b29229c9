package dev.agentos.agent;

import dev.agentos.agent.tools.LoopWatch;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Usage;
import dev.agentos.worker.PhaseContext;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Keeps what a step's model agent did in its latest turn in the step's record, written with the
 * heartbeats (at most one write per beat, none when nothing changed): a replica that takes an
 * interrupted step over tells the next attempt where the last one stopped. Like a CLI agent's
 * session file, it goes only onto the running record of the attempt that made it.
 */
final class StepLastOutput implements LoopWatch, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StepLastOutput.class);

  private final PhaseContext context;
  private final String stepId;
  private final int attempt;
  private final AutoCloseable beats;
  private volatile String latest;
  private String saved;
  private boolean closed;

  private StepLastOutput(PhaseContext context, String stepId, int attempt) {
    this.context = context;
    this.stepId = stepId;
    this.attempt = attempt;
    this.beats = context.onHeartbeat(this::saveIfChanged);
  }

  /** Starts saving for the step's running attempt (the one the state records now). */
  static StepLastOutput start(PhaseContext context, String stepId) {
    int attempt =
        context
            .state()
            .currentIteration()
            .executionOrEmpty()
            .step(stepId)
            .map(StepRecord::attempts)
            .orElse(0);
    return new StepLastOutput(context, stepId, attempt);
  }

  @Override
  public void turn(Usage soFar, String turn) {
    latest = turn;
  }

  synchronized void saveIfChanged() {
    String now = latest;
    if (closed || now == null || Objects.equals(now, saved)) {
      return;
    }
    context.checkpointRunningStep(stepId, attempt, r -> r.withLastOutput(now));
    saved = now;
  }

  @Override
  public void close() {
    try {
      beats.close();
    } catch (Exception e) {
      LOG.warnf(
          "cycle=%s step=%s could not stop saving the agent's last output: %s",
          context.state().cycleId(), stepId, e.getMessage());
    }
    synchronized (this) {
      closed = true; // no save runs once the step goes on
    }
  }
}
