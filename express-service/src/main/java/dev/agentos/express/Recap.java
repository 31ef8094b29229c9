package dev.agentos.express;

import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.CriterionVerdict;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The recap of an iteration, in the Agent OS recap layout. */
record Recap(String name, String markdown) {
  static final String BEFORE_REVIEW =
      "As the files show them before Review; Review replaces these verdicts with its own.";

  static Recap of(CycleState state, String summary) {
    return of(state, summary, List.of(), Optional.empty());
  }

  /**
   * @param criteria the spec's criteria (success metrics, quality gates, acceptance criteria,
   *     checklists) with the verdicts a check can give; Review rewrites them with its own
   * @param roadmap what became of the spec's roadmap item, when the spec is complete
   */
  static Recap of(
      CycleState state, String summary, List<CriterionVerdict> criteria, Optional<String> roadmap) {
    Iteration iteration = state.currentIteration();
    String name =
        state.spec() != null
            ? Path.of(state.spec()).getFileName().toString()
            : "goal-" + state.cycleId();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(name).append(" — recap\n\n");
    md.append("Cycle `").append(state.cycleId()).append("`, iteration ").append(iteration.number());
    md.append(", project ").append(state.project()).append(".\n\n");
    md.append("## Summary\n\n").append(summary).append("\n\n");
    if (state.goal() != null) {
      md.append("**Goal:** ").append(state.goal().strip()).append("\n\n");
    }
    if (!iteration.feedbackIn().isEmpty()) {
      md.append("## Asked to fix in this iteration\n\n");
      for (FeedbackItem item : iteration.feedbackIn()) {
        md.append("- ").append(item.what()).append('\n');
      }
      md.append('\n');
    }
    md.append("## What was done\n\n");
    List<PlanStep> steps = iteration.plan() == null ? List.of() : iteration.plan().steps();
    for (PlanStep step : steps) {
      Optional<StepRecord> record = iteration.executionOrEmpty().step(step.id());
      StepStatus status = record.map(StepRecord::status).orElse(StepStatus.PENDING);
      boolean unverified = record.map(Recap::unverified).orElse(false);
      md.append("- ").append(status == StepStatus.COMPLETED && !unverified ? "✅ " : "⚠️ ");
      md.append(step.title())
          .append(" — ")
          .append(status.name().toLowerCase(java.util.Locale.ROOT));
      record
          .map(StepRecord::attempts)
          .filter(a -> a > 1)
          .ifPresent(a -> md.append(" after ").append(a).append(" attempts"));
      record
          .filter(r -> r.status() == StepStatus.COMPLETED && r.changes() != null)
          .ifPresent(r -> md.append(", ").append(r.changes().describe()));
      if (unverified) {
        md.append(" (unverified: only the agent's word says it is done)");
      }
      md.append('\n');
      record
          .map(StepRecord::summary)
          .filter(s -> !s.isBlank())
          .ifPresent(s -> md.append("  > ").append(s.strip().replace("\n", "\n  > ")).append('\n'));
    }
    md.append("\n## Issues met\n\n");
    long failed =
        steps.stream()
            .filter(
                s ->
                    iteration
                            .executionOrEmpty()
                            .step(s.id())
                            .map(StepRecord::status)
                            .orElse(StepStatus.PENDING)
                        != StepStatus.COMPLETED)
            .count();
    long unverified =
        steps.stream()
            .filter(
                s -> iteration.executionOrEmpty().step(s.id()).map(Recap::unverified).orElse(false))
            .count();
    if (failed == 0 && unverified == 0) {
      md.append("None.\n");
    }
    if (failed > 0) {
      md.append(failed).append(" step(s) did not complete; see above.\n");
    }
    if (unverified > 0) {
      md.append(unverified)
          .append(
              " step(s) reported done but changed no file and did not say why: their result is"
                  + " unverified, and Review does not accept it.\n");
    }
    if (!criteria.isEmpty()) {
      md.append('\n').append(CriteriaVerdicts.section(criteria, BEFORE_REVIEW));
    }
    roadmap.ifPresent(note -> md.append("\n## Roadmap\n\n").append(note).append('\n'));
    md.append("\n## Next steps\n\n");
    md.append(
        failed == 0 && unverified == 0
            ? "Review checks the work against the spec and the standards.\n"
            : "Review decides whether another iteration fixes the incomplete steps.\n");
    return new Recap(name, md.toString());
  }

  /** A completed step measured to have changed nothing, with no reason given by its agent. */
  private static boolean unverified(StepRecord record) {
    return record.status() == StepStatus.COMPLETED
        && record.changes() != null
        && record.changes().none()
        && record.noChangeReason().isEmpty();
  }
}
