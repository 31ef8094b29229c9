package dev.agentos.cli;

import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.util.List;
import java.util.Optional;

/**
 * How far the current iteration's plan is: steps done of all, and the step being worked on now.
 *
 * @param current the step running now (or next to run while EXECUTING), or null
 * @param currentRecord its checkpoint, or null before it started
 */
public record CycleProgress(int done, int total, PlanStep current, StepRecord currentRecord) {

  public static CycleProgress of(CycleState state) {
    Iteration iteration = state.currentIteration();
    if (iteration.plan() == null) {
      return new CycleProgress(0, 0, null, null);
    }
    List<PlanStep> steps = iteration.plan().steps();
    int done = 0;
    PlanStep running = null;
    PlanStep firstOpen = null;
    for (PlanStep step : steps) {
      Optional<StepRecord> record = iteration.executionOrEmpty().step(step.id());
      StepStatus status = record.map(StepRecord::status).orElse(StepStatus.PENDING);
      if (status.isDone()) {
        done++;
      } else if (status == StepStatus.RUNNING && running == null) {
        running = step;
      } else if (firstOpen == null) {
        firstOpen = step;
      }
    }
    PlanStep current =
        running != null ? running : state.status() == Status.EXECUTING ? firstOpen : null;
    StepRecord record =
        current == null ? null : iteration.executionOrEmpty().step(current.id()).orElse(null);
    return new CycleProgress(done, steps.size(), current, record);
  }

  /** The position of the current step, 1-based: step 2 of 3 while the second runs. */
  public int position() {
    return current == null ? done : Math.min(done + 1, total);
  }
}
