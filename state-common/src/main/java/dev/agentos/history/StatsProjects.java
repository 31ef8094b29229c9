package dev.agentos.history;

import java.util.List;
import java.util.TreeSet;

/**
 * The projects that have running totals, kept in one document next to them, so that {@code stats}
 * of every project reads this and one document per project rather than listing the keys of a bucket
 * that holds a million records (a filtered listing took about 0.3 s there).
 */
public record StatsProjects(List<String> projects) {
  public StatsProjects {
    projects = projects == null ? List.of() : List.copyOf(new TreeSet<>(projects));
  }

  public boolean has(String project) {
    return projects.contains(project);
  }

  /** These projects and {@code more}. */
  public StatsProjects with(java.util.Collection<String> more) {
    TreeSet<String> all = new TreeSet<>(projects);
    all.addAll(more);
    return new StatsProjects(List.copyOf(all));
  }
}
