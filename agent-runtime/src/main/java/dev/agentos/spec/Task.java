package dev.agentos.spec;

import java.util.List;

/**
 * A task from tasks.md with its sub-tasks (to any depth).
 *
 * @param ref how to find this task again for an edit
 * @param number the number written in the file ("1", "1.2"), empty when unnumbered
 * @param title the title without number, box, bold markers or inline note
 * @param line the 1-based line of the task's item or heading
 * @param checkbox the task's own box; a numbered parent or a heading may have none
 * @param subTasks the tasks nested under it, in file order
 * @param notes the lines attached to it: {@code ⚠️} notes (inline or below) and other text
 */
public record Task(
    TaskRef ref,
    String number,
    String title,
    int line,
    Checkbox checkbox,
    List<Task> subTasks,
    List<String> notes) {

  public Task {
    subTasks = List.copyOf(subTasks);
    notes = List.copyOf(notes);
  }

  /**
   * Done when every sub-task is done; without sub-tasks, when its own box is ticked. The sub-tasks
   * win over the parent's own box because they are the finer record of what happened.
   */
  public boolean done() {
    if (subTasks.isEmpty()) {
      return checkbox == Checkbox.TICKED;
    }
    return subTasks.stream().allMatch(Task::done);
  }

  /** The number, or the title for an unnumbered task: how a person names it. */
  public String label() {
    return number.isEmpty() ? title : number;
  }

  /** This task carrying only the sub-tasks still to do (recursively). */
  public Task withOnlyUnfinishedSubTasks() {
    List<Task> open =
        subTasks.stream().filter(t -> !t.done()).map(Task::withOnlyUnfinishedSubTasks).toList();
    return new Task(ref, number, title, line, checkbox, open, notes);
  }
}
