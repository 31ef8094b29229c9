package dev.agentos.planner;

import dev.agentos.spec.SpecFolder;
import dev.agentos.spec.SpecLayout;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the task list of a spec folder in any layout (tasks.md, or a v3 plan.md's sections) and
 * plans it, starting the notes with which layout and spec folder were read and why.
 */
final class SpecPlans {

  private SpecPlans() {}

  /** The plan from the spec's task list; empty when the folder has none. */
  static Optional<Plan> of(Path workspace, CycleState state, SpecFolder spec) {
    SpecLayout.Detected layout = SpecLayout.ofSpec(workspace, state.spec());
    Optional<TasksFile> tasks = spec.tasks();
    String source = "tasks.md";
    Set<String> done = Set.of();
    if (tasks.isEmpty() && spec.planSections().isPresent()) {
      tasks = spec.planSections();
      source = "plan.md";
      done = completedEarlier(state);
    }
    if (tasks.isEmpty()) {
      return Optional.empty();
    }
    List<String> lead = List.of(layoutNote(workspace, state.spec(), layout, source));
    return Optional.of(
        SpecPlan.of(tasks.get(), source, done, state.currentIteration().feedbackIn(), lead));
  }

  static String layoutNote(
      Path workspace, String specPath, SpecLayout.Detected layout, String source) {
    List<SpecLayout> present = SpecLayout.inWorkspace(workspace);
    String others =
        present.stream()
            .filter(l -> l != layout.layout())
            .map(SpecLayout::label)
            .collect(Collectors.joining(", "));
    return "layout: "
        + layout.layout().label()
        + " ("
        + layout.reason()
        + "); spec folder "
        + specPath
        + " as the cycle's spec, tasks from its "
        + source
        + (others.isEmpty() ? "" : "; the workspace also has " + others);
  }

  /**
   * The tasks whose steps completed in an earlier iteration of this cycle: a file without boxes
   * keeps no progress of its own, so this is where it lives.
   */
  static Set<String> completedEarlier(CycleState state) {
    Set<String> done = new LinkedHashSet<>();
    for (Iteration iteration : state.iterations()) {
      if (iteration == state.currentIteration()
          || iteration.plan() == null
          || iteration.execution() == null) {
        continue;
      }
      Map<String, String> refs = new HashMap<>();
      for (PlanStep step : iteration.plan().steps()) {
        if (step.taskRef() != null) {
          refs.put(step.id(), step.taskRef());
        }
      }
      for (StepRecord record : iteration.execution().steps()) {
        if (record.status() == StepStatus.COMPLETED && refs.containsKey(record.id())) {
          done.add(refs.get(record.id()));
        }
      }
    }
    return done;
  }
}
