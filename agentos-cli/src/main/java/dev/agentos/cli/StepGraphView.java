package dev.agentos.cli;

import dev.agentos.error.AgentOsException;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the CLI shows of a plan's step graph: which step waits for which, and where each stands.
 * Shown only for a plan that declares {@code depends_on}; a sequential plan reads as it always did.
 * Pure functions of the iteration, tested without NATS.
 */
final class StepGraphView {
  private static final int LISTED = 6; // ids per group on the one-line summary

  private StepGraphView() {}

  /** The iteration's graph when its plan declares dependencies (and is valid). */
  static Optional<StepGraph> of(Iteration iteration) {
    if (iteration.plan() == null) {
      return Optional.empty();
    }
    try {
      StepGraph graph = StepGraph.of(iteration.plan());
      return graph.sequential() ? Optional.empty() : Optional.of(graph);
    } catch (AgentOsException e) {
      return Optional.empty(); // a plan written before plans were checked: shown as a list
    }
  }

  /**
   * The "WAITS FOR" cell of a step: "-" when it waits for nothing, else the steps it waits for,
   * with what keeps it from starting when it has not started ("1, 2 (waiting for 2)", "1 (blocked:
   * 1 did not complete)").
   */
  static String waitsFor(StepGraph graph, String stepId, Execution execution) {
    List<String> deps = graph.waitsFor(stepId);
    if (deps.isEmpty()) {
      return "-";
    }
    String all = String.join(", ", deps);
    return switch (graph.readiness(stepId, execution)) {
      case WAITING ->
          all
              + " (waiting for "
              + String.join(", ", graph.openDependencies(stepId, execution))
              + ")";
      case BLOCKED ->
          all
              + " (blocked: "
              + String.join(", ", graph.failedDependencies(stepId, execution))
              + " did not complete)";
      default -> all;
    };
  }

  /**
   * One line of where the graph stands: the steps running side by side, the ones ready to start and
   * what the waiting ones wait for ("running 1 Model, 3 Docs | ready 5 | waiting 2 for 1; 4 for
   * 2"), or empty for a sequential plan.
   */
  static Optional<String> summary(Iteration iteration) {
    Optional<StepGraph> found = of(iteration);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    StepGraph graph = found.get();
    Execution execution = iteration.executionOrEmpty();
    List<String> running = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    for (PlanStep step : iteration.plan().steps()) {
      switch (graph.readiness(step.id(), execution)) {
        case RUNNING -> running.add(step.id() + " " + WatchView.abbreviate(step.title(), 24));
        case READY -> ready.add(step.id());
        case WAITING ->
            waiting.add(
                step.id()
                    + " for "
                    + String.join(", ", graph.openDependencies(step.id(), execution)));
        case BLOCKED -> blocked.add(step.id());
        case DONE -> {}
      }
    }
    List<String> parts = new ArrayList<>();
    add(parts, "running ", running, ", ");
    add(parts, "ready ", ready, ", ");
    add(parts, "waiting ", waiting, "; ");
    add(parts, "blocked ", blocked, ", ");
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" | ", parts));
  }

  private static void add(List<String> parts, String label, List<String> ids, String joiner) {
    if (ids.isEmpty()) {
      return;
    }
    List<String> shown = ids.size() <= LISTED ? ids : ids.subList(0, LISTED);
    parts.add(
        label
            + String.join(joiner, shown)
            + (ids.size() > LISTED ? " and " + (ids.size() - LISTED) + " more" : ""));
  }
}
