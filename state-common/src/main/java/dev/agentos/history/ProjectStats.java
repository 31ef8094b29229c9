package dev.agentos.history;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The running totals of one project's ended cycles: overall, per instruction and per model. Kept in
 * the history bucket next to the records and changed at every ending, so that {@code stats} reads
 * one small document per project instead of every record.
 */
public record ProjectStats(
    String project,
    StatsTotals overall,
    Map<String, StatsTotals> byInstruction,
    Map<String, StatsTotals> byModel) {

  public static ProjectStats empty(String project) {
    return new ProjectStats(project, StatsTotals.NONE, Map.of(), Map.of());
  }

  /** These totals with {@code r} counted once more ({@code sign} 1) or once less (-1). */
  public ProjectStats with(HistoryRecord r, int sign) {
    Map<String, StatsTotals> instructions = new TreeMap<>(byInstruction);
    add(instructions, String.valueOf(r.instruction()), r, sign);
    Map<String, StatsTotals> models = new TreeMap<>(byModel);
    // A cycle counts once for every model its agents used, as in Stats.of.
    Set<String> used = new HashSet<>(r.models() == null ? List.of() : r.models().values());
    for (String model : used) {
      add(models, model, r, sign);
    }
    return new ProjectStats(project, overall.with(r, sign), instructions, models);
  }

  private static void add(Map<String, StatsTotals> totals, String key, HistoryRecord r, int sign) {
    StatsTotals next = totals.getOrDefault(key, StatsTotals.NONE).with(r, sign);
    if (next.isEmpty()) {
      totals.remove(key); // a scan shows no group without cycles
    } else {
      totals.put(key, next);
    }
  }

  /** The statistics of some projects' totals, as {@link Stats#of} gives for their records. */
  public static Stats toStats(List<ProjectStats> projects) {
    StatsTotals overall = StatsTotals.NONE;
    Map<String, StatsTotals> byProject = new TreeMap<>();
    Map<String, StatsTotals> byInstruction = new TreeMap<>();
    Map<String, StatsTotals> byModel = new TreeMap<>();
    for (ProjectStats p : projects) {
      if (p.overall().isEmpty()) {
        continue;
      }
      overall = overall.plus(p.overall());
      byProject.merge(p.project(), p.overall(), StatsTotals::plus);
      p.byInstruction().forEach((k, v) -> byInstruction.merge(k, v, StatsTotals::plus));
      p.byModel().forEach((k, v) -> byModel.merge(k, v, StatsTotals::plus));
    }
    return new Stats(overall.toGroup(), groups(byProject), groups(byInstruction), groups(byModel));
  }

  private static Map<String, Stats.Group> groups(Map<String, StatsTotals> totals) {
    Map<String, Stats.Group> groups = new TreeMap<>();
    totals.forEach((k, v) -> groups.put(k, v.toGroup()));
    return groups;
  }
}
