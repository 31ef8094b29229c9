package dev.agentos.review;

import dev.agentos.state.Check;
import dev.agentos.state.Iteration;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Review checks beyond the agents' own word, for an instruction whose agent changes the
 * workspace: the iteration changed files, and each completed step changed something or said why not
 * (a line starting {@value StepRecord#NO_CHANGE}). Both rest on what the executor measured around
 * each step ({@link StepRecord#changes()}); steps measured by no one (older states, Agent OS's own
 * steps) are left out, and with none measured there is nothing to check.
 */
final class Evidence {
  static final String ITERATION_CHANGED = "the iteration changed the workspace";
  static final String EACH_STEP_CHANGED = "every completed step changed files or said why not";
  private static final int LISTED = 10;

  private Evidence() {}

  static List<Check> of(Iteration iteration) {
    List<PlanStep> steps = iteration.plan() == null ? List.of() : iteration.plan().steps();
    List<StepRecord> measured = new ArrayList<>();
    for (PlanStep step : steps) {
      Optional<StepRecord> record = iteration.executionOrEmpty().step(step.id());
      if (record.isPresent()
          && record.get().status() == StepStatus.COMPLETED
          && record.get().changes() != null) {
        measured.add(record.get());
      }
    }
    if (measured.isEmpty()) {
      return List.of();
    }
    return List.of(iterationChanged(measured), eachStepChanged(measured));
  }

  private static Check iterationChanged(List<StepRecord> measured) {
    Set<String> files = new TreeSet<>();
    int count = 0;
    for (StepRecord record : measured) {
      files.addAll(record.changes().files());
      count += record.changes().count();
    }
    if (count == 0) {
      return new Check(
          ITERATION_CHANGED,
          false,
          "no completed step changed a file: the work rests on the agents' own reports");
    }
    List<String> listed = files.stream().limit(LISTED).toList();
    return new Check(
        ITERATION_CHANGED,
        true,
        files.size()
            + " files changed: "
            + String.join(", ", listed)
            + (files.size() > listed.size() ? ", …" : ""));
  }

  private static Check eachStepChanged(List<StepRecord> measured) {
    List<String> unexplained = new ArrayList<>();
    List<String> explained = new ArrayList<>();
    for (StepRecord record : measured) {
      StepChanges changes = record.changes();
      if (!changes.none()) {
        continue;
      }
      Optional<String> why = record.noChangeReason();
      if (why.isPresent()) {
        explained.add(record.id() + " (" + why.get() + ")");
      } else {
        unexplained.add(record.id());
      }
    }
    if (!unexplained.isEmpty()) {
      return new Check(
          EACH_STEP_CHANGED,
          false,
          "step(s) "
              + String.join(", ", unexplained)
              + " reported done but changed no file and did not say why (a line starting '"
              + StepRecord.NO_CHANGE
              + "')");
    }
    String detail =
        (measured.size() - explained.size()) + " of " + measured.size() + " changed files";
    return new Check(
        EACH_STEP_CHANGED,
        true,
        explained.isEmpty()
            ? detail
            : detail + "; no change needed: " + String.join("; ", explained));
  }
}
