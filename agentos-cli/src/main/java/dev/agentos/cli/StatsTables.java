package dev.agentos.cli;

import dev.agentos.history.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code agentos stats}: one table each for overall, per project, per instruction, per model. */
public final class StatsTables {
  private StatsTables() {}

  public static List<String> lines(Stats stats, Style style) {
    if (stats.overall() == null || stats.overall().cycles() == 0) {
      return List.of(
          "No ended cycles match, so there is nothing to add up yet. `agentos history` lists"
              + " the ended cycles; `agentos status` the running ones.");
    }
    List<String> lines = new ArrayList<>();
    section(lines, "Overall", "SCOPE", Map.of("all", stats.overall()), style);
    section(lines, "By project", "PROJECT", stats.byProject(), style);
    section(lines, "By instruction", "INSTRUCTION", stats.byInstruction(), style);
    section(lines, "By model", "MODEL", stats.byModel(), style);
    lines.remove(lines.size() - 1);
    return lines;
  }

  private static void section(
      List<String> lines, String title, String key, Map<String, Stats.Group> groups, Style style) {
    if (groups == null || groups.isEmpty()) {
      return;
    }
    lines.add(style.bold(title));
    Table table =
        new Table(
            key,
            "CYCLES",
            "COMPLETED",
            "FAILED",
            "CANCELLED",
            "SUCCESS",
            "MEAN SCORE",
            "ITER TO PASS",
            "COST/CYCLE",
            "WALL/CYCLE",
            "TOKENS");
    groups.forEach(
        (name, g) ->
            table.row(
                name,
                Integer.toString(g.cycles()),
                Integer.toString(g.completed()),
                Integer.toString(g.failed()),
                Integer.toString(g.cancelled()),
                percent(g.successRate()),
                oneDecimal(g.meanScore()),
                oneDecimal(g.meanIterationsToPass()),
                HistoryTable.cost(g.meanCostUsd()),
                Elapsed.seconds(g.meanWallSeconds()),
                HistoryTable.tokens(g.tokens())));
    lines.addAll(table.lines(style));
    lines.add("");
  }

  /** {@code 67%} for two in three. */
  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.0f%%", rate * 100);
  }

  /** {@code 82.5}, or {@code -} when there is nothing to average. */
  static String oneDecimal(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }
}
