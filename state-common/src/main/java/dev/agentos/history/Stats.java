package dev.agentos.history;

import dev.agentos.state.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a team learns across cycles: how often they succeed, how well Review scored them, how many
 * iterations a PASS took, and what they cost — overall, per project, per instruction and per model.
 */
public record Stats(
    Group overall,
    Map<String, Group> byProject,
    Map<String, Group> byInstruction,
    Map<String, Group> byModel) {

  /**
   * @param successRate completed / ended, 0 to 1
   * @param meanScore of the cycles that have a final review score
   * @param meanIterationsToPass of the completed cycles
   */
  public record Group(
      int cycles,
      int completed,
      int failed,
      int cancelled,
      double successRate,
      Double meanScore,
      Double meanIterationsToPass,
      double meanCostUsd,
      double meanWallSeconds,
      long tokens) {

    static Group of(List<HistoryRecord> records) {
      int completed = count(records, Status.COMPLETED);
      List<Integer> scores = new ArrayList<>();
      List<Integer> passIterations = new ArrayList<>();
      double cost = 0;
      double wall = 0;
      long tokens = 0;
      for (HistoryRecord r : records) {
        if (r.score() != null) {
          scores.add(r.score());
        }
        if (r.status() == Status.COMPLETED) {
          passIterations.add(r.iterations());
        }
        cost += r.costUsd();
        wall += r.wallSeconds();
        tokens += r.tokens();
      }
      int n = records.size();
      return new Group(
          n,
          completed,
          count(records, Status.FAILED),
          count(records, Status.CANCELLED),
          n == 0 ? 0 : (double) completed / n,
          mean(scores),
          mean(passIterations),
          n == 0 ? 0 : cost / n,
          n == 0 ? 0 : wall / n,
          tokens);
    }

    private static int count(List<HistoryRecord> records, Status status) {
      return (int) records.stream().filter(r -> r.status() == status).count();
    }

    private static Double mean(List<Integer> values) {
      return values.isEmpty()
          ? null
          : values.stream().mapToInt(Integer::intValue).average().orElse(0);
    }
  }

  public static Stats of(List<HistoryRecord> records) {
    Map<String, List<HistoryRecord>> byModel = new TreeMap<>();
    for (HistoryRecord r : records) {
      Set<String> models = new HashSet<>(r.models() == null ? List.of() : r.models().values());
      for (String model : models) {
        byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(r);
      }
    }
    return new Stats(
        Group.of(records),
        groups(records, HistoryRecord::project),
        groups(records, HistoryRecord::instruction),
        summarize(byModel));
  }

  private static Map<String, Group> groups(
      List<HistoryRecord> records, Function<HistoryRecord, String> key) {
    Map<String, List<HistoryRecord>> grouped = new TreeMap<>();
    for (HistoryRecord r : records) {
      grouped.computeIfAbsent(String.valueOf(key.apply(r)), k -> new ArrayList<>()).add(r);
    }
    return summarize(grouped);
  }

  private static Map<String, Group> summarize(Map<String, List<HistoryRecord>> grouped) {
    Map<String, Group> result = new TreeMap<>();
    grouped.forEach((k, v) -> result.put(k, Group.of(v)));
    return result;
  }
}
