package dev.agentos.executor;

import dev.agentos.agent.channel.AgentDecision;
import dev.agentos.agent.channel.ChannelReport;
import dev.agentos.error.AgentOsException;
import dev.agentos.knowledge.DecisionLog;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.state.CycleState;
import dev.agentos.worker.Artifacts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the decisions a step's agent wrote to its channel in the team's decision log, the same
 * records Review's insights become. Each gets an id from the cycle, iteration, step, attempt and
 * its place in the file, so a redelivered step records nothing twice. What cannot be recorded (a
 * bad line, the log unreachable) becomes a note for people; it never fails the step.
 */
final class AgentDecisions {
  private static final int MAX_ID_CHARS = 64;

  private final DecisionLog log;
  private final Clock clock;

  AgentDecisions(DecisionLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Records {@code report}'s decisions; returns the notes about what went wrong. */
  List<String> record(CycleState state, String stepId, int attempt, ChannelReport report) {
    List<String> notes = new ArrayList<>(report.problems());
    List<AgentDecision> decisions = report.decisions();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (int n = 1; n <= decisions.size(); n++) {
      AgentDecision decision = decisions.get(n - 1);
      DecisionRecord record =
          new DecisionRecord(
              id(state, stepId, attempt, n),
              decision.title(),
              decision.rationale(),
              decision.decision(),
              today,
              "agent of step " + stepId + " in cycle " + state.cycleId());
      try {
        log.record(state.project(), record);
      } catch (AgentOsException e) {
        notes.add(
            "the agent's decision '"
                + decision.title()
                + "' could not be recorded in the decision log: "
                + e.getMessage());
      }
    }
    return notes;
  }

  /**
   * {@code <cycle>-<iteration>-<step>-<attempt>-<n>}, the step id's other characters as {@code _};
   * a longer one is shortened with a hash of the whole, so ids stay distinct within the limit.
   */
  static String id(CycleState state, String stepId, int attempt, int n) {
    String id =
        state.cycleId()
            + "-"
            + state.iteration()
            + "-"
            + stepId.replaceAll("[^A-Za-z0-9_-]", "_")
            + "-"
            + attempt
            + "-"
            + n;
    if (id.length() <= MAX_ID_CHARS) {
      return id;
    }
    String hash = Artifacts.sha256(id.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return id.substring(0, MAX_ID_CHARS - hash.length() - 1) + "-" + hash;
  }
}
