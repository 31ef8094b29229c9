package dev.agentos.cli;

import dev.agentos.api.CycleSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code agentos status}: one line per cycle, newest first. */
public final class CycleTable {
  static final int TASK_CHARS = 44;

  private CycleTable() {}

  public static List<String> lines(List<CycleSummary> cycles, Instant now, Style style) {
    if (cycles.isEmpty()) {
      return List.of(
          "No cycles yet. Submit one with `agentos submit --spec <folder> --workspace <dir>`"
              + " (or try `agentos demo`).");
    }
    Table table = new Table("CYCLE", "PROJECT", "STATUS", "PHASE", "ITER", "TASK", "UPDATED");
    for (CycleSummary c : cycles) {
      table.row(
          c.cycleId(),
          c.project(),
          style.status(c.status()),
          c.phase() == null ? "-" : c.phase().name(),
          Integer.toString(c.iteration()),
          task(c),
          ago(c.updatedAt(), now));
    }
    return table.lines(style);
  }

  static String task(CycleSummary c) {
    if (c.spec() != null) {
      return WatchView.abbreviate(c.spec(), TASK_CHARS);
    }
    return c.goal() == null ? "-" : WatchView.abbreviate("goal: " + c.goal(), TASK_CHARS);
  }

  /** {@code 42s ago}, {@code 5m ago}, {@code 3h ago}, {@code 2d ago}. */
  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    long seconds = Math.max(0, Duration.between(then, now).getSeconds());
    if (seconds < 60) {
      return seconds + "s ago";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m ago";
    }
    if (seconds < 86_400) {
      return seconds / 3600 + "h ago";
    }
    return seconds / 86_400 + "d ago";
  }
}
