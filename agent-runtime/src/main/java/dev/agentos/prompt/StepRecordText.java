package dev.agentos.prompt;

import dev.agentos.state.Iteration;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.util.List;
import java.util.Optional;

/** The step record of an iteration as plain text for a prompt: one line per step, with outcome. */
public final class StepRecordText {
  private StepRecordText() {}

  public static String of(Iteration iteration) {
    return render(
        iteration,
        (out, step, record, status) -> {
          out.append("- ")
              .append(step.id())
              .append(". ")
              .append(step.title())
              .append(": ")
              .append(status);
          record
              .map(StepRecord::summary)
              .filter(s -> !s.isBlank())
              .ifPresent(s -> out.append("\n  ").append(s.strip().replace("\n", "\n  ")));
          out.append('\n');
        });
  }

  /** How one planned step is written, given its record (if it has one) and its status. */
  @FunctionalInterface
  interface StepLine {
    void append(StringBuilder out, PlanStep step, Optional<StepRecord> record, StepStatus status);
  }

  /** The plan's steps in order, each written by {@code line}. */
  static String render(Iteration iteration, StepLine line) {
    List<PlanStep> steps = iteration.plan() == null ? List.of() : iteration.plan().steps();
    if (steps.isEmpty()) {
      return "(no steps were planned)";
    }
    StringBuilder out = new StringBuilder();
    for (PlanStep step : steps) {
      Optional<StepRecord> record = iteration.executionOrEmpty().step(step.id());
      line.append(out, step, record, record.map(StepRecord::status).orElse(StepStatus.PENDING));
    }
    return out.toString().strip();
  }
}
