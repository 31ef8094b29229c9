package dev.agentos.planner;

import dev.agentos.spec.Task;
import dev.agentos.spec.TaskOrder;
import dev.agentos.spec.TaskRef;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Plans a spec from its tasks file without a model: each unfinished top-level task (a v1 parent, a
 * v2 task group, a v3 {@code ## Task N} section, a Spec Kit T-line) becomes one step whose detail
 * is the task's whole block (its open sub-tasks, bullets, code, its acceptance criteria). Steps are
 * listed in an order that respects what the file says about dependencies (v2 Dependencies and
 * Execution Order, Spec Kit phases), and carry that as {@code depends_on}. Whatever the parser
 * found odd goes into the plan's notes, so nothing is dropped silently.
 */
final class SpecPlan {
  static final String SOURCE = "tasks.md";
  private static final Pattern PHASE = Pattern.compile("\\bphase\\b", Pattern.CASE_INSENSITIVE);

  private SpecPlan() {}

  static Plan of(TasksFile tasks, List<FeedbackItem> feedback) {
    return of(tasks, SOURCE, Set.of(), feedback, List.of());
  }

  /**
   * @param source the file the tasks come from ("tasks.md", or a v3 "plan.md")
   * @param doneRefs tasks already carried out (in an earlier iteration, or v3's "Save spec
   *     documentation"), for a file without boxes
   * @param leadNotes notes that go first: which layout and spec folder were read, and why
   */
  static Plan of(
      TasksFile tasks,
      String source,
      Set<String> doneRefs,
      List<FeedbackItem> feedback,
      List<String> leadNotes) {
    List<String> notes = new ArrayList<>(leadNotes);
    notes.addAll(tasks.issues());
    List<Task> open =
        tasks.unfinished().stream().filter(t -> !doneRefs.contains(t.ref().toString())).toList();
    TaskOrder order = TaskOrder.of(tasks);
    notes.addAll(order.notes());
    List<Task> sorted = order.sort(open, notes);
    if (!sorted.equals(open)) {
      notes.add(
          "steps are listed in the order their dependencies allow, not in file order: "
              + String.join(", ", sorted.stream().map(Task::label).toList()));
    }
    Map<TaskRef, String> stepIds = new HashMap<>();
    for (Task task : sorted) {
      stepIds.put(task.ref(), Integer.toString(stepIds.size() + 1));
    }
    // Every dependency among the open tasks, so that a loop in the file reaches the plan's graph
    // and is refused there with the loop named; without a loop each one is on an earlier step.
    List<PlanStep> steps = new ArrayList<>();
    for (Task task : sorted) {
      String id = stepIds.get(task.ref());
      List<String> waitsFor =
          order.dependsOn().getOrDefault(task.ref(), List.of()).stream()
              .filter(stepIds::containsKey)
              .map(stepIds::get)
              .toList();
      steps.add(
          PlanStep.of(id, title(task), detail(tasks, task, feedback), task.ref().toString())
              .withDependsOn(waitsFor));
    }
    if (!tasks.hasCheckboxes() && !tasks.tasks().isEmpty()) {
      notes.add(
          source
              + " has no checkboxes: progress is kept in the cycle state"
              + (doneRefs.isEmpty() ? "" : " (" + doneRefs.size() + " already done)")
              + " and the file is not edited");
    }
    if (tasks.tasks().isEmpty()) {
      notes.add(source + " holds no tasks");
    } else if (steps.isEmpty()) {
      notes.add(
          "every task in "
              + source
              + (tasks.hasCheckboxes() ? " is already ticked" : " is already done")
              + ": nothing to execute");
    }
    return Plan.of(source, steps, notes);
  }

  /** "2. Totals", or Spec Kit's "T012 [P] [US1] Create the model". */
  private static String title(Task task) {
    if (task.number().isEmpty()) {
      return task.title();
    }
    if (task.number().startsWith("T")) {
      StringBuilder title = new StringBuilder(task.number());
      task.marks().tags().forEach(tag -> title.append(" [").append(tag).append(']'));
      return title.append(' ').append(task.title()).toString();
    }
    return task.number() + ". " + task.title();
  }

  private static String detail(TasksFile tasks, Task task, List<FeedbackItem> feedback) {
    StringBuilder detail = new StringBuilder();
    String section = task.marks().section();
    if (PHASE.matcher(section).find()) {
      detail.append("(").append(section).append(")\n\n");
    }
    detail.append(tasks.block(task.ref()));
    if (!feedback.isEmpty()) {
      detail.append("\n\nReview asked the previous iteration to fix:\n");
      for (FeedbackItem item : feedback) {
        detail.append("- ").append(FeedbackText.of(item)).append('\n');
      }
    }
    return detail.toString().strip();
  }
}
