package dev.agentos.planner;

import dev.agentos.spec.Task;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans a spec from its tasks.md without a model: each unfinished parent task becomes one step, in
 * file order, carrying only its unticked sub-tasks. Whatever the parser found odd goes into the
 * plan's notes, so nothing is dropped silently.
 */
final class SpecPlan {
  static final String SOURCE = "tasks.md";

  private SpecPlan() {}

  static Plan of(TasksFile tasks, List<FeedbackItem> feedback) {
    List<PlanStep> steps = new ArrayList<>();
    for (Task task : tasks.unfinished()) {
      String id = Integer.toString(steps.size() + 1);
      steps.add(PlanStep.of(id, title(task), detail(task, feedback), task.ref().toString()));
    }
    List<String> notes = new ArrayList<>(tasks.issues());
    if (tasks.tasks().isEmpty()) {
      notes.add("tasks.md holds no tasks");
    } else if (steps.isEmpty()) {
      notes.add("every task in tasks.md is already ticked: nothing to execute");
    }
    return Plan.of(SOURCE, steps, notes);
  }

  private static String title(Task task) {
    return task.number().isEmpty() ? task.title() : task.number() + ". " + task.title();
  }

  private static String detail(Task task, List<FeedbackItem> feedback) {
    StringBuilder detail = new StringBuilder();
    appendSubTasks(detail, task.subTasks(), "");
    for (String note : task.notes()) {
      detail.append(note).append('\n');
    }
    if (!feedback.isEmpty()) {
      detail.append("\nReview asked the previous iteration to fix:\n");
      for (FeedbackItem item : feedback) {
        detail.append("- ").append(FeedbackText.of(item)).append('\n');
      }
    }
    return detail.toString().strip();
  }

  private static void appendSubTasks(StringBuilder out, List<Task> subTasks, String indent) {
    for (Task sub : subTasks) {
      out.append(indent).append("- [ ] ");
      if (!sub.number().isEmpty()) {
        out.append(sub.number()).append(' ');
      }
      out.append(sub.title()).append('\n');
      appendSubTasks(out, sub.subTasks(), indent + "  ");
    }
  }
}
