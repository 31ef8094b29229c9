package dev.agentos.spec;

import java.util.List;

/**
 * A task from tasks.md (or a v3 plan.md) with its sub-tasks (to any depth).
 *
 * @param ref how to find this task again for an edit
 * @param number the number written in the file ("1", "1.2", "T012"), empty when unnumbered
 * @param title the title without number, box, tags, bold markers or inline note
 * @param line the 1-based line of the task's item or heading
 * @param endLine the last line of the task's block: its sub-tasks, bullets, code and criteria
 * @param checkbox the task's own box; a numbered parent or a heading may have none
 * @param subTasks the tasks nested under it, in file order
 * @param notes the lines attached to it: {@code ⚠️} notes (inline or below) and other text
 * @param marks where it sits and what it waits for
 */
public record Task(
    TaskRef ref,
    String number,
    String title,
    int line,
    int endLine,
    Checkbox checkbox,
    List<Task> subTasks,
    List<String> notes,
    Marks marks) {

  /**
   * What a task says beyond its title.
   *
   * @param section the phase or area heading above it ("Phase 2: Foundational"), else empty
   * @param tags Spec Kit's markers: "P" (may run in parallel with other P tasks), "US1"
   * @param dependsOn the numbers of the tasks it waits for ("Dependencies: Task Group 1")
   * @param skipped true for a {@code SKIP:} task: deliberately not done, so it counts as done
   */
  public record Marks(String section, List<String> tags, List<String> dependsOn, boolean skipped) {
    public static final Marks NONE = new Marks("", List.of(), List.of(), false);

    public Marks {
      tags = List.copyOf(tags);
      dependsOn = List.copyOf(dependsOn);
    }
  }

  public Task {
    subTasks = List.copyOf(subTasks);
    notes = List.copyOf(notes);
  }

  /**
   * Done when every sub-task is done; without sub-tasks, when its own box is ticked; a skipped task
   * always. The sub-tasks win over the parent's own box because they are the finer record of what
   * happened.
   */
  public boolean done() {
    if (marks.skipped()) {
      return true;
    }
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
    return new Task(ref, number, title, line, endLine, checkbox, open, notes, marks);
  }
}
