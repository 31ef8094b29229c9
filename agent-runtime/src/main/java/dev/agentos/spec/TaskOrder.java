package dev.agentos.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which top-level tasks wait for which, from everything a tasks file says about order: v2's {@code
 * **Dependencies:** Task Group 1} lines and {@code ## Execution Order} list, v1's {@code (Depends
 * on: Task 2)}, and Spec Kit's phases (Setup, then Foundational, then the user stories, each of
 * which needs only the phases before the stories, then Polish after every story) with {@code [P]}
 * marking the tasks of a phase that do not wait for one another.
 *
 * @param dependsOn for each top-level task, in file order, the tasks it waits for (maybe none)
 * @param notes what could not be followed: a dependency on a task the file does not have, a cycle
 */
public record TaskOrder(Map<TaskRef, List<TaskRef>> dependsOn, List<String> notes) {

  private static final Pattern PHASE = Pattern.compile("\\bphase\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern STORY =
      Pattern.compile(
          "user stor(?:y|ies)|\\bUS\\s?\\d+|\\bstory\\s?\\d+", Pattern.CASE_INSENSITIVE);
  private static final String PARALLEL = "P";

  public static TaskOrder of(TasksFile file) {
    List<Task> tasks = file.tasks();
    Map<TaskRef, Set<TaskRef>> edges = new LinkedHashMap<>();
    tasks.forEach(t -> edges.put(t.ref(), new LinkedHashSet<>()));
    Map<String, Task> byNumber = new LinkedHashMap<>();
    tasks.stream().filter(t -> !t.number().isEmpty()).forEach(t -> byNumber.put(t.number(), t));
    List<String> notes = new ArrayList<>();
    for (Task task : tasks) {
      for (String number : task.marks().dependsOn()) {
        Task other = byNumber.get(number);
        if (other == null) {
          notes.add(
              "line "
                  + task.line()
                  + ": task "
                  + task.label()
                  + " depends on "
                  + number
                  + ", which is not a task of this file; that dependency is not followed");
        } else if (other != task) {
          edges.get(task.ref()).add(other.ref());
        }
      }
    }
    List<String> order = file.executionOrder();
    for (int i = 1; i < order.size(); i++) {
      Task later = byNumber.get(order.get(i));
      Task earlier = byNumber.get(order.get(i - 1));
      if (later != null && earlier != null) {
        edges.get(later.ref()).add(earlier.ref());
      }
    }
    phases(tasks, edges);
    Map<TaskRef, List<TaskRef>> result = new LinkedHashMap<>();
    edges.forEach((ref, deps) -> result.put(ref, List.copyOf(deps)));
    return new TaskOrder(result, List.copyOf(notes));
  }

  /** Spec Kit: only when the tasks sit under more than one "Phase N" heading. */
  private static void phases(List<Task> tasks, Map<TaskRef, Set<TaskRef>> edges) {
    Map<String, List<Task>> bySection = new LinkedHashMap<>();
    for (Task task : tasks) {
      bySection.computeIfAbsent(task.marks().section(), s -> new ArrayList<>()).add(task);
    }
    if (bySection.size() < 2
        || !bySection.keySet().stream().allMatch(s -> PHASE.matcher(s).find())) {
      return;
    }
    List<Task> lastGate = List.of();
    List<Task> storiesSinceGate = new ArrayList<>();
    for (Map.Entry<String, List<Task>> phase : bySection.entrySet()) {
      boolean story = STORY.matcher(phase.getKey()).find();
      List<Task> barrier;
      if (story) {
        barrier = lastGate;
      } else {
        barrier = storiesSinceGate.isEmpty() ? lastGate : List.copyOf(storiesSinceGate);
      }
      within(phase.getValue(), barrier, edges);
      if (story) {
        storiesSinceGate.addAll(phase.getValue());
      } else {
        lastGate = phase.getValue();
        storiesSinceGate.clear();
      }
    }
  }

  /**
   * A task without {@code [P]} waits for every task of its phase since the previous such task (or
   * the phase's start); a {@code [P]} task waits only for the previous task without it.
   */
  private static void within(
      List<Task> phase, List<Task> barrier, Map<TaskRef, Set<TaskRef>> edges) {
    Task lastSequential = null;
    List<Task> sinceSequential = new ArrayList<>();
    for (Task task : phase) {
      Set<TaskRef> deps = edges.get(task.ref());
      boolean parallel = task.marks().tags().contains(PARALLEL);
      if (lastSequential == null && (parallel || sinceSequential.isEmpty())) {
        barrier.forEach(b -> deps.add(b.ref())); // else the parallel tasks before it carry them
      } else if (lastSequential != null) {
        deps.add(lastSequential.ref());
      }
      if (!parallel) {
        sinceSequential.forEach(t -> deps.add(t.ref()));
        lastSequential = task;
        sinceSequential.clear();
      } else {
        sinceSequential.add(task);
      }
    }
  }

  /**
   * {@code tasks} (a subset of the file's top-level tasks, e.g. the unfinished ones) in an order
   * where each comes after the tasks it waits for, else in file order. A cycle is broken at file
   * order and noted in {@code notes}.
   */
  public List<Task> sort(List<Task> tasks, List<String> notes) {
    Set<TaskRef> wanted = new LinkedHashSet<>();
    tasks.forEach(t -> wanted.add(t.ref()));
    List<Task> sorted = new ArrayList<>();
    Set<TaskRef> placed = new LinkedHashSet<>();
    List<Task> left = new ArrayList<>(tasks);
    while (!left.isEmpty()) {
      Task next = null;
      for (Task candidate : left) {
        boolean ready =
            dependsOn.getOrDefault(candidate.ref(), List.of()).stream()
                .allMatch(d -> !wanted.contains(d) || placed.contains(d));
        if (ready) {
          next = candidate;
          break;
        }
      }
      if (next == null) {
        next = left.get(0);
        notes.add(
            "line "
                + next.line()
                + ": task "
                + next.label()
                + " is part of a dependency cycle; it runs in file order");
      }
      left.remove(next);
      placed.add(next.ref());
      sorted.add(next);
    }
    return sorted;
  }
}
