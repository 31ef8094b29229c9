package dev.agentos.planner;

import dev.agentos.spec.SpecFolder;
import dev.agentos.spec.SpecLayout;
import dev.agentos.spec.Task;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Picks the task list of a spec folder in any layout (tasks.md, or a v3 plan.md's sections) and
 * plans it, starting the notes with which layout and spec folder were read and why.
 */
final class SpecPlans {

  private static final Pattern SAVE_DOCUMENTATION =
      Pattern.compile("^save (?:the )?spec(?:ification)? doc", Pattern.CASE_INSENSITIVE);

  private SpecPlans() {}

  /** The plan from the spec's task list; empty when the folder has none. */
  static Optional<Plan> of(Path workspace, CycleState state, SpecFolder spec) {
    SpecLayout.Detected layout = SpecLayout.ofSpec(workspace, state.spec());
    Optional<TasksFile> tasks = spec.tasks();
    String source = "tasks.md";
    if (tasks.isEmpty() && spec.planSections().isPresent()) {
      tasks = spec.planSections();
      source = "plan.md";
    }
    if (tasks.isEmpty()) {
      return Optional.empty();
    }
    // A file without boxes (v3's plan.md, a tasks.md of "### 1. Title" sections) keeps no
    // progress of its own: what earlier iterations completed is in the state.
    Set<String> done =
        new LinkedHashSet<>(tasks.get().hasCheckboxes() ? Set.of() : completedEarlier(state));
    List<String> lead = new ArrayList<>();
    lead.add(layoutNote(workspace, state.spec(), layout, source));
    if (source.equals("plan.md")) {
      savedDocumentation(tasks.get())
          .filter(task -> done.add(task.ref().toString()))
          .ifPresent(
              task ->
                  lead.add(
                      "task "
                          + task.label()
                          + " \""
                          + task.title()
                          + "\" is done: the spec folder it saves is the one being read"));
    }
    return Optional.of(
        SpecPlan.of(tasks.get(), source, done, state.currentIteration().feedbackIn(), lead));
  }

  /**
   * Agent OS v3's first task, "Save spec documentation", writes the spec folder itself: a plan.md
   * read from that folder has it done, ticked or not.
   */
  private static Optional<Task> savedDocumentation(TasksFile plan) {
    return plan.tasks().stream()
        .filter(t -> !t.done() && SAVE_DOCUMENTATION.matcher(t.title()).find())
        .findFirst();
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
