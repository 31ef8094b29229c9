package dev.agentos.state;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which step of a plan waits for which: the one place that reads {@code depends_on}. A plan in
 * which no step declares {@code depends_on} is sequential (each step waits for the one before it,
 * as every plan did before steps carried dependencies); once any step declares them, the declared
 * dependencies are the whole graph, and a step that declares none waits for nothing.
 *
 * <p>A graph is built only from a valid plan: unique step ids, dependencies on steps of the plan,
 * no step waiting for itself, and no loop. Anything else is refused as PLAN_INVALID with what was
 * wrong, the loop named ("dependency loop: 2 → 3 → 2").
 */
public final class StepGraph {
  private final List<PlanStep> steps;
  private final Map<String, List<String>> waitsFor;
  private final boolean sequential;

  private StepGraph(List<PlanStep> steps, Map<String, List<String>> waitsFor, boolean sequential) {
    this.steps = steps;
    this.waitsFor = waitsFor;
    this.sequential = sequential;
  }

  /** The graph of {@code plan}'s steps; PLAN_INVALID when the plan is not a valid graph. */
  public static StepGraph of(Plan plan) {
    return of(plan.steps());
  }

  /** The graph of {@code steps}; PLAN_INVALID when they are not a valid graph. */
  public static StepGraph of(List<PlanStep> steps) {
    Map<String, PlanStep> byId = new LinkedHashMap<>();
    for (PlanStep step : steps) {
      if (byId.put(step.id(), step) != null) {
        throw invalid("two steps have the id " + step.id() + "; each step needs its own id");
      }
    }
    boolean sequential = steps.stream().allMatch(s -> s.dependsOn().isEmpty());
    Map<String, List<String>> waitsFor = new LinkedHashMap<>();
    String previous = null;
    for (PlanStep step : steps) {
      List<String> deps;
      if (sequential) {
        deps = previous == null ? List.of() : List.of(previous);
      } else {
        deps = List.copyOf(new LinkedHashSet<>(step.dependsOn()));
        for (String dep : deps) {
          if (!byId.containsKey(dep)) {
            throw invalid(
                "step " + step.id() + " depends on " + dep + ", which is not a step of the plan");
          }
        }
      }
      waitsFor.put(step.id(), deps);
      previous = step.id();
    }
    Optional<List<String>> loop = findLoop(waitsFor);
    if (loop.isPresent()) {
      throw invalid(
          "dependency loop: "
              + String.join(" → ", loop.get())
              + " ("
              + String.join(
                  "; ",
                  loop.get().stream()
                      .distinct()
                      .map(id -> id + ": " + shortTitle(byId.get(id)))
                      .toList())
              + ")");
    }
    return new StepGraph(List.copyOf(steps), waitsFor, sequential);
  }

  /** Whether the plan declares no dependencies, so its steps run one after another. */
  public boolean sequential() {
    return sequential;
  }

  /** The ids of the steps {@code stepId} waits for (for a sequential plan, the step before). */
  public List<String> waitsFor(String stepId) {
    return waitsFor.getOrDefault(stepId, List.of());
  }

  /** The ids of the steps that wait for {@code stepId}, in plan order. */
  public List<String> waitedOnBy(String stepId) {
    List<String> waiting = new ArrayList<>();
    waitsFor.forEach(
        (id, deps) -> {
          if (deps.contains(stepId)) {
            waiting.add(id);
          }
        });
    return waiting;
  }

  /**
   * The steps in an order where each comes after every step it waits for, otherwise in plan order:
   * running them one after another in this order is always correct.
   */
  public List<PlanStep> ordered() {
    List<PlanStep> sorted = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    List<PlanStep> left = new ArrayList<>(steps);
    while (!left.isEmpty()) {
      PlanStep next =
          left.stream()
              .filter(s -> placed.containsAll(waitsFor(s.id())))
              .findFirst()
              .orElseThrow(); // no loop: of() refused it
      left.remove(next);
      placed.add(next.id());
      sorted.add(next);
    }
    return sorted;
  }

  /**
   * Where a step stands in {@code execution}: its own record's status when it has one, else READY
   * when every step it waits for COMPLETED, BLOCKED when one of them ended without completing
   * (FAILED or SKIPPED: the step cannot run in this iteration), else WAITING. In a sequential plan
   * a step that ended in any way lets the next one run, as before steps had dependencies: Review
   * decides what a failed step means.
   */
  public Readiness readiness(String stepId, Execution execution) {
    StepRecord own = execution.step(stepId).orElse(null);
    if (own != null && own.status() != StepStatus.PENDING) {
      return own.status() == StepStatus.RUNNING ? Readiness.RUNNING : Readiness.DONE;
    }
    boolean waiting = false;
    for (String dep : waitsFor(stepId)) {
      StepStatus status = execution.step(dep).map(StepRecord::status).orElse(StepStatus.PENDING);
      if (sequential && status.isDone()) {
        continue;
      }
      if (status == StepStatus.FAILED || status == StepStatus.SKIPPED) {
        return Readiness.BLOCKED;
      }
      if (status != StepStatus.COMPLETED) {
        waiting = true;
      }
    }
    return waiting ? Readiness.WAITING : Readiness.READY;
  }

  /** The steps that may start now in {@code execution}, in plan order. */
  public List<PlanStep> ready(Execution execution) {
    return steps.stream().filter(s -> readiness(s.id(), execution) == Readiness.READY).toList();
  }

  /** The ids among {@code stepId}'s dependencies that ended without completing. */
  public List<String> failedDependencies(String stepId, Execution execution) {
    return waitsFor(stepId).stream()
        .filter(
            dep -> {
              StepStatus status =
                  execution.step(dep).map(StepRecord::status).orElse(StepStatus.PENDING);
              return status == StepStatus.FAILED || status == StepStatus.SKIPPED;
            })
        .toList();
  }

  /** The ids among {@code stepId}'s dependencies that have not COMPLETED in {@code execution}. */
  public List<String> openDependencies(String stepId, Execution execution) {
    return waitsFor(stepId).stream()
        .filter(
            dep ->
                execution.step(dep).map(StepRecord::status).orElse(StepStatus.PENDING)
                    != StepStatus.COMPLETED)
        .toList();
  }

  /** Where a step stands with respect to the steps it waits for. */
  public enum Readiness {
    /** Its dependencies are not all done yet. */
    WAITING,
    /** Every dependency COMPLETED: it may start. */
    READY,
    /** It runs now. */
    RUNNING,
    /** It ended (COMPLETED, FAILED or SKIPPED). */
    DONE,
    /** A dependency ended without completing: it cannot run in this iteration. */
    BLOCKED
  }

  /** The first loop found, as the ids along it with the first repeated at the end. */
  private static Optional<List<String>> findLoop(Map<String, List<String>> waitsFor) {
    Map<String, Integer> mark = new LinkedHashMap<>(); // 1 on the path, 2 finished
    for (String start : waitsFor.keySet()) {
      List<String> loop = visit(start, waitsFor, mark);
      if (loop != null) {
        return Optional.of(loop);
      }
    }
    return Optional.empty();
  }

  /**
   * Depth-first from {@code id}, along "waits for" edges, with an explicit stack of the path so a
   * long chain cannot overflow the thread's stack. Returns the loop when one is reached.
   */
  private static List<String> visit(
      String start, Map<String, List<String>> waitsFor, Map<String, Integer> mark) {
    if (mark.containsKey(start)) {
      return null;
    }
    List<String> path = new ArrayList<>();
    List<Integer> next = new ArrayList<>(); // per path entry: the index of its next edge
    path.add(start);
    next.add(0);
    mark.put(start, 1);
    while (!path.isEmpty()) {
      int top = path.size() - 1;
      String id = path.get(top);
      List<String> deps = waitsFor.get(id);
      int edge = next.get(top);
      if (edge == deps.size()) {
        mark.put(id, 2);
        path.remove(top);
        next.remove(top);
        continue;
      }
      next.set(top, edge + 1);
      String dep = deps.get(edge);
      Integer seen = mark.get(dep);
      if (seen == null) {
        mark.put(dep, 1);
        path.add(dep);
        next.add(0);
      } else if (seen == 1) {
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(dep), path.size()));
        loop.add(dep);
        return loop;
      }
    }
    return null;
  }

  private static String shortTitle(PlanStep step) {
    String title = step.title() == null ? "" : step.title().strip();
    return title.length() <= 60 ? title : title.substring(0, 59) + "…";
  }

  private static AgentOsException invalid(String why) {
    return new AgentOsException(ErrorCode.PLAN_INVALID, why);
  }
}
