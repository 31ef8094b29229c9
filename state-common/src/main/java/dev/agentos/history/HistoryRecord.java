package dev.agentos.history;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.Band;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.state.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compact summary of an ended cycle, under {@code <project>.<cycle_id>} in the {@code
 * agentos-history} bucket: what a team lead reads across cycles without loading their states.
 *
 * @param wallSeconds from submit to end
 * @param agentSeconds the agents' own time, summed
 * @param models the model (or command) each role used last, by role
 */
public record HistoryRecord(
    String cycleId,
    String project,
    String instruction,
    String spec,
    Status status,
    int iterations,
    Integer score,
    Band band,
    long tokens,
    double costUsd,
    double wallSeconds,
    double agentSeconds,
    Map<String, String> models,
    Instant startedAt,
    Instant endedAt,
    String parentCycleId,
    ErrorCode errorCode) {

  public static HistoryRecord of(CycleState state) {
    Review last = null;
    for (Iteration iteration : state.iterations()) {
      if (iteration.review() != null) {
        last = iteration.review();
      }
    }
    Usage total = state.usageOrNone().total() == null ? Usage.ZERO : state.usageOrNone().total();
    Map<String, String> models = new TreeMap<>();
    if (state.usageOrNone().models() != null) {
      for (Map.Entry<Phase, String> entry : state.usageOrNone().models().entrySet()) {
        models.put(entry.getKey().role(), entry.getValue());
      }
    }
    Instant ended = state.updatedAt();
    double wall =
        state.createdAt() == null || ended == null
            ? 0
            : Duration.between(state.createdAt(), ended).toMillis() / 1000.0;
    return new HistoryRecord(
        state.cycleId(),
        state.project(),
        state.instruction(),
        state.spec(),
        state.status(),
        state.iterations().size(),
        last == null ? null : last.score(),
        last == null ? null : last.band(),
        total.tokens(),
        total.costUsd(),
        wall,
        total.wallSeconds(),
        Map.copyOf(models),
        state.createdAt(),
        ended,
        state.parentCycleId(),
        state.error() == null ? null : state.error().code());
  }

  public String key() {
    return project + "." + cycleId;
  }
}
