package dev.agentos.review;

import dev.agentos.spec.Checkbox;
import dev.agentos.spec.Criterion;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reports each criterion of the spec (success metrics, quality gates, a task's acceptance criteria,
 * Spec Kit checklists and checkpoints) as met, not met or needing a person. A ticked criterion is
 * met; one that belongs to a task not yet done is not met; any other needs a person (or the review
 * agent, which is shown this list among the checks). Only a criterion that is not met fails the
 * check: one a machine cannot judge must not hold the cycle back.
 */
final class SpecCriteria {
  static final String NAME = "spec criteria";

  private SpecCriteria() {}

  static Optional<Check> check(List<Criterion> criteria, Optional<TasksFile> tasks) {
    if (criteria.isEmpty()) {
      return Optional.empty();
    }
    List<String> lines = new ArrayList<>();
    int met = 0;
    int notMet = 0;
    for (Criterion criterion : criteria) {
      String status;
      if (criterion.checkbox() == Checkbox.TICKED) {
        status = "met";
        met++;
      } else if (openTask(criterion, tasks)) {
        status = "not met (task " + criterion.task() + " is not done)";
        notMet++;
      } else {
        status = "needs a person";
      }
      lines.add(status + ": " + criterion.text() + " [" + criterion.section().strip() + "]");
    }
    String detail =
        met
            + " met, "
            + notMet
            + " not met, "
            + (criteria.size() - met - notMet)
            + " need a person: "
            + String.join("; ", lines);
    return Optional.of(new Check(NAME, notMet == 0, detail));
  }

  private static boolean openTask(Criterion criterion, Optional<TasksFile> tasks) {
    if (criterion.task().isEmpty() || tasks.isEmpty()) {
      return false;
    }
    return tasks.get().tasks().stream()
        .filter(t -> t.label().equals(criterion.task()))
        .findFirst()
        .map(t -> !t.done())
        .orElse(false);
  }
}
