package dev.agentos.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.agentos.state.Status;

/**
 * The sums one {@link Stats.Group} is computed from, kept as a running total: adding an ending and
 * taking back the one it replaces changes each field by that record alone, and the means are
 * divided out only when read. The same arithmetic as {@link Stats.Group#of} (integer sums for
 * scores and iterations), so a total gives the same group as a scan of its records.
 */
public record StatsTotals(
    long cycles,
    long completed,
    long failed,
    long cancelled,
    long scoreSum,
    long scored,
    long passIterationSum,
    double costUsd,
    double wallSeconds,
    long tokens) {

  public static final StatsTotals NONE = new StatsTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** These totals with {@code r} counted once more ({@code sign} 1) or once less (-1). */
  public StatsTotals with(HistoryRecord r, int sign) {
    return new StatsTotals(
        cycles + sign,
        completed + (r.status() == Status.COMPLETED ? sign : 0),
        failed + (r.status() == Status.FAILED ? sign : 0),
        cancelled + (r.status() == Status.CANCELLED ? sign : 0),
        scoreSum + (r.score() == null ? 0 : (long) sign * r.score()),
        scored + (r.score() == null ? 0 : sign),
        passIterationSum + (r.status() == Status.COMPLETED ? (long) sign * r.iterations() : 0),
        costUsd + sign * r.costUsd(),
        wallSeconds + sign * r.wallSeconds(),
        tokens + sign * r.tokens());
  }

  public StatsTotals plus(StatsTotals o) {
    return new StatsTotals(
        cycles + o.cycles,
        completed + o.completed,
        failed + o.failed,
        cancelled + o.cancelled,
        scoreSum + o.scoreSum,
        scored + o.scored,
        passIterationSum + o.passIterationSum,
        costUsd + o.costUsd,
        wallSeconds + o.wallSeconds,
        tokens + o.tokens);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return cycles == 0;
  }

  public Stats.Group toGroup() {
    int n = (int) cycles;
    return new Stats.Group(
        n,
        (int) completed,
        (int) failed,
        (int) cancelled,
        n == 0 ? 0 : (double) completed / n,
        scored == 0 ? null : (double) scoreSum / scored,
        completed == 0 ? null : (double) passIterationSum / completed,
        n == 0 ? 0 : costUsd / n,
        n == 0 ? 0 : wallSeconds / n,
        tokens);
  }
}
