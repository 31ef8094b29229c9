package dev.agentos.cli;

import dev.agentos.history.HistoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** {@code agentos history}: one line per ended cycle, newest first. */
public final class HistoryTable {
  static final int MODELS_CHARS = 40;

  private HistoryTable() {}

  public static List<String> lines(List<HistoryRecord> cycles, Instant now, Style style) {
    if (cycles.isEmpty()) {
      return List.of(
          "No ended cycles match. Cycles show here once they are COMPLETED, FAILED or CANCELLED;"
              + " `agentos status` lists the running ones.");
    }
    Table table =
        new Table(
            "CYCLE",
            "PROJECT",
            "INSTRUCTION",
            "STATUS",
            "ITER",
            "SCORE",
            "TOKENS",
            "COST",
            "WALL",
            "MODELS",
            "ENDED");
    for (HistoryRecord r : cycles) {
      table.row(
          r.cycleId(),
          r.project(),
          r.instruction(),
          style.status(r.status()),
          Integer.toString(r.iterations()),
          score(r),
          tokens(r.tokens()),
          cost(r.costUsd()),
          Elapsed.seconds(r.wallSeconds()),
          models(r.models()),
          CycleTable.ago(r.endedAt(), now));
    }
    return table.lines(style);
  }

  /** {@code 95 HIGH}, or {@code -} for a cycle that ended before any review. */
  static String score(HistoryRecord r) {
    if (r.score() == null) {
      return "-";
    }
    return r.band() == null ? r.score().toString() : r.score() + " " + r.band();
  }

  /** {@code 12,500}. */
  static String tokens(long tokens) {
    return String.format(Locale.ROOT, "%,d", tokens);
  }

  /** Dollars with the cents that matter: {@code $0}, {@code $0.0016}, {@code $1.25}. */
  static String cost(double usd) {
    if (usd == 0) {
      return "$0";
    }
    return String.format(Locale.ROOT, usd < 0.01 ? "$%.4f" : "$%.2f", usd);
  }

  /** The distinct models (or commands) the cycle's agents used, sorted. */
  static String models(Map<String, String> byRole) {
    if (byRole == null || byRole.isEmpty()) {
      return "-";
    }
    return WatchView.abbreviate(String.join(", ", new TreeSet<>(byRole.values())), MODELS_CHARS);
  }
}
