package dev.agentos.e2e;

import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The calls {@code fault-agent.sh} logged in a workspace, and what they say about exactly-once: a
 * step whose COMPLETED checkpoint was written must never be started again, and no two calls may run
 * the same attempt of a step.
 */
record AgentCalls(List<Call> calls) {

  /** One line: {@code <cycle> <step> <attempt> start|done <epoch-ms> retry=<yes|no>}. */
  record Call(
      String cycleId, String stepId, int attempt, String event, long atMillis, boolean retry) {
    boolean isStart() {
      return event.equals("start");
    }
  }

  static AgentCalls of(Path workspace) throws IOException {
    Path log = workspace.resolve(".agent-calls.log");
    List<Call> calls = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log)) {
        String[] f = line.trim().split(" ");
        if (f.length == 6) {
          calls.add(
              new Call(
                  f[0],
                  f[1],
                  Integer.parseInt(f[2]),
                  f[3],
                  Long.parseLong(f[4]),
                  f[5].equals("retry=yes")));
        }
      }
    }
    return new AgentCalls(List.copyOf(calls));
  }

  List<Call> starts(String stepId) {
    return calls.stream().filter(c -> c.isStart() && c.stepId().equals(stepId)).toList();
  }

  long startCount() {
    return calls.stream().filter(Call::isStart).count();
  }

  /**
   * What broke exactly-once for {@code state}'s current iteration: starts of a step after its
   * COMPLETED checkpoint, and attempts started twice. Empty when nothing did.
   */
  List<String> violations(CycleState state) {
    List<String> found = new ArrayList<>();
    for (StepRecord step : state.currentIteration().executionOrEmpty().steps()) {
      List<Call> starts = starts(step.id());
      Set<Integer> attempts = new HashSet<>();
      for (Call start : starts) {
        if (!attempts.add(start.attempt())) {
          found.add("step " + step.id() + " attempt " + start.attempt() + " was started twice");
        }
        if (step.status() == StepStatus.COMPLETED
            && step.finishedAt() != null
            && start.atMillis() > step.finishedAt().toEpochMilli()) {
          found.add(
              "step "
                  + step.id()
                  + " was started again (attempt "
                  + start.attempt()
                  + ") after its COMPLETED checkpoint at "
                  + step.finishedAt());
        }
      }
    }
    return found;
  }

  /** Steps the agent started more than once: in flight when a worker died, then retried. */
  List<String> retriedSteps() {
    return calls.stream()
        .filter(c -> c.isStart() && c.attempt() > 1)
        .map(Call::stepId)
        .distinct()
        .toList();
  }
}
