package dev.agentos.api;

import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import java.time.Instant;

/** One line of {@code agentos.api.list}. */
public record CycleSummary(
    String cycleId,
    String project,
    String instruction,
    Status status,
    Phase phase,
    int iteration,
    String spec,
    String goal,
    Instant createdAt,
    Instant updatedAt) {

  public static CycleSummary of(CycleState s) {
    String goal =
        s.goal() == null || s.goal().length() <= 120 ? s.goal() : s.goal().substring(0, 120) + "…";
    return new CycleSummary(
        s.cycleId(),
        s.project(),
        s.instruction(),
        s.status(),
        s.phase(),
        s.iteration(),
        s.spec(),
        goal,
        s.createdAt(),
        s.updatedAt());
  }
}
