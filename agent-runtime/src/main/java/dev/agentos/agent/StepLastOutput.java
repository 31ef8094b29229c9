package dev.agentos.agent;

import dev.agentos.agent.tools.LoopWatch;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Usage;
import dev.agentos.worker.PhaseContext;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Keeps what a step's agent did last in the step's record, written with the heartbeats (at most one
 * write per beat, none when nothing changed): a model's latest turn, or the tail of a CLI agent's
 * live output. A replica that takes an interrupted step over tells the next attempt where the last
 * one stopped. Like a CLI agent's session file, it goes only onto the running record of the attempt
 * that made it.
 */
public final class StepLastOutput implements LoopWatch, AutoCloseable {
  /** The most of a CLI agent's output kept: its last lines, as in a model's turn. */
  static final int TAIL_CHARS = 2000;

  private static final Logger LOG = Logger.getLogger(StepLastOutput.class);

  private final PhaseContext context;
  private final String stepId;
  private final int attempt;
  private final AutoCloseable beats;
  private volatile String latest;
  private final StringBuilder tail = new StringBuilder();
  private String saved;
  private boolean closed;

  private StepLastOutput(PhaseContext context, String stepId, int attempt) {
    this.context = context;
    this.stepId = stepId;
    this.attempt = attempt;
    this.beats = context.onHeartbeat(this::saveIfChanged);
  }

  /** Starts saving for the step's running attempt (the one the state records now). */
  public static StepLastOutput start(PhaseContext context, String stepId) {
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

  /** One line of a CLI agent's live output: the last {@value #TAIL_CHARS} characters are kept. */
  public void line(String text) {
    synchronized (tail) {
      tail.append(text).append('\n');
      if (tail.length() > TAIL_CHARS) {
        int cut = tail.indexOf("\n", tail.length() - TAIL_CHARS);
        tail.delete(0, cut < 0 ? tail.length() - TAIL_CHARS : cut + 1);
      }
      latest = tail.toString();
    }
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
