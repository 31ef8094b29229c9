package dev.agentos.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the nodes read from tasks.md into {@link Task}s: decides which nodes are tasks, folds plain
 * items into notes, gives every task its {@link TaskRef}, and reports what disagrees (a ticked
 * parent over open sub-tasks, shared numbers, a task that can never be ticked).
 */
final class TaskTree {

  private final List<TaskNode> roots;
  private final List<Issue> issues;
  // A v3 plan.md has "## Task N" sections and no box anywhere, and so do tasks.md files written as
  // "### 1. Title" sections: progress is kept elsewhere, so a task without a box is how the file is
  // meant to be, not something to report.
  private final boolean boxless;
  // Spec Kit's tasks are T-lines; its numbered lists ("1. Complete Phase 1: Setup") are prose.
  private final boolean specKit;

  private TaskTree(List<TaskNode> roots, List<Issue> issues, boolean boxlessExpected) {
    this.roots = roots;
    this.issues = issues;
    this.boxless =
        roots.stream().noneMatch(TaskTree::hasBox)
            && (boxlessExpected || roots.stream().anyMatch(n -> n.heading));
    this.specKit = roots.stream().anyMatch(n -> n.number.matches("T\\d+"));
  }

  private static boolean hasBox(TaskNode node) {
    return node.checkbox != Checkbox.NONE || node.children.stream().anyMatch(TaskTree::hasBox);
  }

  /**
   * The tasks under {@code roots}; what it finds odd is added to {@code issues}. With {@code
   * boxlessExpected} (a v3 plan.md) tasks without any box are how the file is meant to be.
   */
  static List<Task> build(List<TaskNode> roots, List<Issue> issues, boolean boxlessExpected) {
    return new TaskTree(roots, issues, boxlessExpected).build();
  }

  private List<Task> build() {
    roots.forEach(TaskTree::decideTasks);
    List<TaskNode> all = new ArrayList<>();
    roots.forEach(root -> foldNonTasks(root, all));
    Map<String, List<TaskNode>> byNumber =
        all.stream()
            .filter(n -> !n.number.isEmpty())
            .collect(Collectors.groupingBy(n -> n.number, LinkedHashMap::new, Collectors.toList()));
    byNumber.forEach(
        (number, nodes) -> {
          if (nodes.size() > 1) {
            reportSharedNumber(number, nodes);
          }
        });
    Map<String, Integer> counts = new HashMap<>();
    byNumber.forEach((number, nodes) -> counts.put(number, nodes.size()));
    List<Task> tasks = toTasks(roots, null, counts);
    tasks.forEach(this::reportDisagreements);
    return tasks;
  }

  /** A node is a task when it has a box, is a task heading, or holds a task below it. */
  private static boolean decideTasks(TaskNode node) {
    boolean childTask = false;
    for (TaskNode child : node.children) {
      childTask |= decideTasks(child);
    }
    node.task = node.heading || node.checkbox != Checkbox.NONE || childTask;
    return node.task;
  }

  /**
   * Collects the task nodes in file order and turns plain items ("- uses the Money type") into
   * notes of the task they sit under; plain items outside any task are prose.
   */
  private void foldNonTasks(TaskNode node, List<TaskNode> tasks) {
    if (node.oddBox) {
      reportOddBox(node);
    }
    if (node.task) {
      tasks.add(node);
      node.children.forEach(child -> foldNonTasks(child, tasks));
      return;
    }
    TaskNode owner = node.parent;
    while (owner != null && !owner.task) {
      owner = owner.parent;
    }
    List<TaskNode.Note> texts = new ArrayList<>();
    collectTexts(node, texts);
    if (owner != null) {
      owner.notes.addAll(texts);
      return;
    }
    if (node.parent == null && !node.number.isEmpty() && !node.oddBox && !boxless && !specKit) {
      issues.add(
          new Issue(
              node.line,
              "numbered item \""
                  + node.raw
                  + "\" has no checkbox and no checkbox sub-tasks, so it was not read as a task;"
                  + " write \"- [ ] "
                  + node.raw
                  + "\" if it is one"));
    }
    for (TaskNode.Note note : texts) {
      if (TaskText.isWarning(note.text())) {
        issues.add(new Issue(note.line(), "note \"" + note.text() + "\" is not under any task"));
      }
    }
  }

  private void reportOddBox(TaskNode node) {
    String consequence =
        node.task
            ? "it counts as having no box and is done when the tasks below it are"
            : "it was not read as a task; write [ ] or [x] instead";
    issues.add(
        new Issue(
            node.line,
            "\""
                + node.raw
                + "\" has a box this reader does not know ([ ], [x] and [X] are); "
                + consequence));
  }

  private static void collectTexts(TaskNode node, List<TaskNode.Note> into) {
    into.add(new TaskNode.Note(node.line, node.raw));
    into.addAll(node.notes);
    node.children.forEach(child -> collectTexts(child, into));
  }

  private List<Task> toTasks(List<TaskNode> nodes, TaskRef parentRef, Map<String, Integer> counts) {
    List<Task> tasks = new ArrayList<>();
    for (TaskNode node : nodes) {
      if (!node.task) {
        continue;
      }
      TaskRef ref =
          counts.getOrDefault(node.number, 0) == 1
              ? TaskRef.number(node.number)
              : TaskRef.position(parentRef, tasks.size() + 1);
      List<String> notes =
          node.notes.stream()
              .sorted(Comparator.comparingInt(TaskNode.Note::line))
              .map(TaskNode.Note::text)
              .toList();
      List<Task> subTasks = toTasks(node.children, ref, counts);
      int endLine = node.line;
      for (TaskNode.Note note : node.notes) {
        endLine = Math.max(endLine, note.line());
      }
      for (Task sub : subTasks) {
        endLine = Math.max(endLine, sub.endLine());
      }
      Task.Marks marks =
          new Task.Marks(node.section, node.text.tags(), node.dependsOn, node.text.skipped());
      tasks.add(
          new Task(
              ref,
              node.number,
              node.text.title(),
              node.line,
              endLine,
              node.checkbox,
              subTasks,
              notes,
              marks));
    }
    return tasks;
  }

  private void reportSharedNumber(String number, List<TaskNode> nodes) {
    String where =
        nodes.stream().map(n -> String.valueOf(n.line)).collect(Collectors.joining(", "));
    issues.add(
        new Issue(
            nodes.get(0).line,
            "tasks on lines "
                + where
                + " share the number "
                + number
                + "; they are referred to by position instead"));
  }

  private void reportDisagreements(Task task) {
    task.subTasks().forEach(this::reportDisagreements);
    if (task.marks().skipped()) {
      issues.add(
          new Issue(
              task.line(),
              describe(task) + " is marked SKIP, so it counts as done and is not planned"));
      return;
    }
    if (task.subTasks().isEmpty()) {
      if (task.checkbox() == Checkbox.NONE && !boxless) {
        issues.add(
            new Issue(
                task.line(),
                describe(task)
                    + " has neither a checkbox nor sub-tasks, so it can never be ticked; add \"- [ ]"
                    + " ...\" items under it"));
      }
      return;
    }
    if (task.checkbox() == Checkbox.TICKED && !task.done()) {
      String open =
          task.subTasks().stream()
              .filter(t -> !t.done())
              .map(Task::label)
              .collect(Collectors.joining(", "));
      issues.add(
          new Issue(
              task.line(),
              describe(task)
                  + " is ticked but its sub-tasks "
                  + open
                  + " are not; it counts as unfinished"));
    } else if (task.checkbox() == Checkbox.UNTICKED && task.done()) {
      issues.add(
          new Issue(
              task.line(),
              describe(task) + " is not ticked though all its sub-tasks are; it counts as done"));
    }
  }

  private static String describe(Task task) {
    return task.number().isEmpty()
        ? "task \"" + task.title() + "\""
        : "task " + task.number() + " \"" + task.title() + "\"";
  }
}
