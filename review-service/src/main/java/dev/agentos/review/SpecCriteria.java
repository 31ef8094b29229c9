package dev.agentos.review;

import dev.agentos.spec.CriterionVerdict;
import dev.agentos.state.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The review's check over the spec's criteria (success metrics, quality gates, a task's acceptance
 * criteria, Spec Kit checklists and checkpoints): each listed as met, not met or needing a person,
 * with who said so and why. Only a criterion that is not met fails the check: one that needs a
 * person must not hold the cycle back.
 */
final class SpecCriteria {
  static final String NAME = "spec criteria";

  private SpecCriteria() {}

  static Optional<Check> check(List<CriterionVerdict> verdicts) {
    if (verdicts.isEmpty()) {
      return Optional.empty();
    }
    List<String> lines = new ArrayList<>();
    int met = 0;
    int notMet = 0;
    for (CriterionVerdict v : verdicts) {
      met += v.status() == CriterionVerdict.Status.MET ? 1 : 0;
      notMet += v.status() == CriterionVerdict.Status.NOT_MET ? 1 : 0;
      lines.add(
          v.status().words()
              + (v.why().isEmpty() ? "" : " (" + v.reason() + ")")
              + ": "
              + v.criterion().text()
              + " ["
              + v.source()
              + "]");
    }
    String detail =
        met
            + " met, "
            + notMet
            + " not met, "
            + (verdicts.size() - met - notMet)
            + " need a person: "
            + String.join("; ", lines);
    return Optional.of(new Check(NAME, notMet == 0, detail));
  }
}
