package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed tasks.md: the tasks in file order, the criteria it set aside, and what it found odd.
 *
 * <p>The reader is tolerant because these files are written by people and agents alike: nesting
 * follows relative indentation (2-5 spaces, tabs, mixed), sub-tasks go to any depth, titles may be
 * bold or unnumbered, {@code ### Task 2: ...} headings stand for a task whose items are its
 * sub-tasks, {@code 1. Parent} without a box is a parent when boxes sit below it, code blocks and
 * HTML comments are skipped, and checkboxes under "Definition of done", "Success criteria" or
 * "Acceptance criteria" are {@linkplain #ignoredCriteria() criteria}, not tasks. Nothing is dropped
 * silently: a checkbox it cannot place, and every other oddity, is in {@link #issues()}.
 *
 * <p>Edits ({@link #tick}, {@link #tickWithParents}, {@link #markBlocked}) work on the current text
 * and find the task again by its {@link TaskRef}, which survives other boxes being ticked between
 * the parse that produced it and the edit. They change only what they say they change; every other
 * byte (line endings, trailing spaces, a missing final newline) stays as it was.
 */
public final class TasksFile {

  private final SourceLines source;
  private final List<Task> tasks;
  private final List<Criterion> criteria;
  private final List<String> issues;
  private final List<String> executionOrder;

  private TasksFile(SourceLines source, TasksParser.Result result) {
    this.source = source;
    this.tasks = result.tasks();
    this.criteria = result.criteria();
    this.issues = result.issues().stream().map(Issue::toString).toList();
    this.executionOrder = result.executionOrder();
  }

  public static TasksFile parse(String text) {
    SourceLines source = new SourceLines(text);
    return new TasksFile(source, TasksParser.parse(source, false));
  }

  /**
   * Reads an Agent OS v3 {@code plan.md}: {@code ## Task N: Title} sections without boxes, so a
   * task without a box is expected there rather than reported.
   */
  public static TasksFile parsePlan(String text) {
    SourceLines source = new SourceLines(text);
    return new TasksFile(source, TasksParser.parse(source, true));
  }

  /** The top-level tasks in file order, each with its sub-tasks. */
  public List<Task> tasks() {
    return tasks;
  }

  /** The top-level tasks not yet done, each carrying only its unfinished sub-tasks. */
  public List<Task> unfinished() {
    return tasks.stream().filter(t -> !t.done()).map(Task::withOnlyUnfinishedSubTasks).toList();
  }

  /** True when there are tasks and all of them are done. */
  public boolean allDone() {
    return !tasks.isEmpty() && tasks.stream().allMatch(Task::done);
  }

  /**
   * Items of criteria sections (checkboxes and plain bullets) and Spec Kit checkpoints, kept for
   * whoever verifies the work; those inside a task name it in {@link Criterion#task()}.
   */
  public List<Criterion> ignoredCriteria() {
    return criteria;
  }

  /**
   * Every checkbox item of a checklist file (Spec Kit's {@code checklists/ux.md}) as a criterion of
   * {@code section}: such a file is all criteria, never work.
   */
  public static List<Criterion> checklist(String text, String section) {
    List<Criterion> criteria = new ArrayList<>();
    for (MarkdownLine line : MarkdownScanner.scan(new SourceLines(text)).lines()) {
      if (line instanceof MarkdownLine.Item item && item.checkbox() != Checkbox.NONE) {
        criteria.add(new Criterion(item.line(), item.checkbox(), item.text().strip(), section));
      }
    }
    return List.copyOf(criteria);
  }

  /** The task numbers in the order a v2 "Execution Order" section lists them; often empty. */
  public List<String> executionOrder() {
    return executionOrder;
  }

  /**
   * False for a file whose tasks have no box at all (a v3 plan.md): nothing in it can be ticked, so
   * progress has to be kept elsewhere.
   */
  public boolean hasCheckboxes() {
    return hasBox(tasks);
  }

  private static boolean hasBox(List<Task> level) {
    return level.stream().anyMatch(t -> t.checkbox() != Checkbox.NONE || hasBox(t.subTasks()));
  }

  /**
   * The task's whole block as written below its own line: sub-tasks, plain bullets, code blocks,
   * its acceptance criteria, with the blocks of sub-tasks already done left out and the common
   * indentation removed. Empty for a task that is one line.
   */
  public String block(TaskRef ref) {
    Task task = require(ref);
    List<int[]> done = new ArrayList<>();
    collectDone(task.subTasks(), done);
    List<String> lines = new ArrayList<>();
    for (int number = task.line() + 1; number <= task.endLine(); number++) {
      final int n = number;
      if (done.stream().noneMatch(range -> range[0] <= n && n <= range[1])) {
        lines.add(source.content(number).stripTrailing());
      }
    }
    return BlockText.of(lines);
  }

  private static void collectDone(List<Task> level, List<int[]> into) {
    for (Task task : level) {
      if (task.done()) {
        into.add(new int[] {task.line(), task.endLine()});
      } else {
        collectDone(task.subTasks(), into);
      }
    }
  }

  /** Inconsistencies and things that could not be placed, as "line N: ..." sentences. */
  public List<String> issues() {
    return issues;
  }

  /** The task (at any depth) with this reference. */
  public Optional<Task> find(TaskRef ref) {
    List<Task> path = pathTo(ref);
    return path.isEmpty() ? Optional.empty() : Optional.of(path.get(path.size() - 1));
  }

  /** Ticks the task's own box; an already ticked box is left alone. */
  public static String tick(String text, TaskRef ref) {
    TasksFile file = parse(text);
    return TaskLineEdits.tick(file.source, file.require(ref));
  }

  /**
   * Ticks the task, then each enclosing task whose sub-tasks are now all done, up to the top. A
   * parent without a box of its own is passed over on the way up.
   */
  public static String tickWithParents(String text, TaskRef ref) {
    String result = tick(text, ref);
    List<Task> chain = parse(result).pathTo(ref);
    for (int i = chain.size() - 2; i >= 0; i--) {
      TasksFile current = parse(result);
      Task ancestor = current.require(chain.get(i).ref());
      if (!ancestor.done()) {
        break;
      }
      if (ancestor.checkbox() == Checkbox.UNTICKED) {
        result = TaskLineEdits.tick(current.source, ancestor);
      }
    }
    return result;
  }

  /**
   * Puts {@code ⚠️ Blocking issue: <reason>} on the line right below the task's line, indented
   * where the task's sub-tasks (or its continuation lines) go, with the file's line ending. If the
   * task already carries that marker in the lines directly below it, only its reason is replaced.
   */
  public static String markBlocked(String text, TaskRef ref, String reason) {
    TasksFile file = parse(text);
    return TaskLineEdits.markBlocked(file.source, file.require(ref), reason);
  }

  private Task require(TaskRef ref) {
    return find(ref)
        .orElseThrow(
            () ->
                new AgentOsException(
                    ErrorCode.NOT_FOUND,
                    "tasks.md has no task '"
                        + ref
                        + "'; its tasks are "
                        + describeRefs()
                        + ". Re-read the file and use a ref from that parse"));
  }

  /** The tasks from the top down to the one with this reference; empty if there is none. */
  List<Task> pathTo(TaskRef ref) {
    List<Task> path = new ArrayList<>();
    return search(tasks, ref, path) ? List.copyOf(path) : List.of();
  }

  private static boolean search(List<Task> level, TaskRef ref, List<Task> path) {
    for (Task task : level) {
      path.add(task);
      if (task.ref().equals(ref) || search(task.subTasks(), ref, path)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  private String describeRefs() {
    List<String> refs = new ArrayList<>();
    collectRefs(tasks, refs);
    return refs.isEmpty() ? "none" : refs.stream().collect(Collectors.joining(", "));
  }

  private static void collectRefs(List<Task> level, List<String> into) {
    for (Task task : level) {
      into.add(task.ref().toString());
      collectRefs(task.subTasks(), into);
    }
  }
}
