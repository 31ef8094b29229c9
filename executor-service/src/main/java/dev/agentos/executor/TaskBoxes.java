package dev.agentos.executor;

import dev.agentos.state.CycleState;
import dev.agentos.state.PlanStep;
import java.nio.file.Path;

/** Keeps the spec's tasks.md in step with the execution: ticks and blocking-issue markers. */
public interface TaskBoxes {
  void tick(Path workspace, CycleState state, PlanStep step);

  void markBlocked(Path workspace, CycleState state, PlanStep step, String reason);

  /** For goals without a spec: there is no tasks.md to keep. */
  TaskBoxes NONE =
      new TaskBoxes() {
        @Override
        public void tick(Path workspace, CycleState state, PlanStep step) {}

        @Override
        public void markBlocked(Path workspace, CycleState state, PlanStep step, String reason) {}
      };
}
