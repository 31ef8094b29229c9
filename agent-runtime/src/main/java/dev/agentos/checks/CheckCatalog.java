package dev.agentos.checks;

import dev.agentos.error.AgentOsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every check a project may run: the operator's ({@code agentos.checks.<name>.*}) and the
 * workspace's own ({@link WorkspaceChecks#FILE}). Where both define a name, the operator's wins.
 */
public final class CheckCatalog {
  /** An operator's check, with the projects that may run it (empty: every project). */
  public record Configured(NamedCheck check, Set<String> projects) {
    public Configured {
      projects = projects == null ? Set.of() : Set.copyOf(projects);
    }

    boolean allows(String project) {
      return projects.isEmpty() || projects.contains(project);
    }
  }

  public static final CheckCatalog NONE = new CheckCatalog(Map.of());

  private final Map<String, Configured> configured;

  public CheckCatalog(Map<String, Configured> configured) {
    for (String name : configured.keySet()) {
      if (!WorkspaceChecks.NAME.matcher(name).matches()) {
        throw AgentOsException.invalid(
            "agentos.checks." + name + ": a check name may hold A-Z, a-z, 0-9, '_', '.' and '-'");
      }
      Configured c = configured.get(name);
      if (c.check().run() == null || c.check().run().isBlank()) {
        throw AgentOsException.invalid(
            "agentos.checks." + name + ".run is not set; give the shell line the check runs");
      }
    }
    this.configured = Map.copyOf(configured);
  }

  /** The names {@code project} may give in {@code options.verify}, sorted. */
  public List<String> names(String project, Path workspace) {
    Set<String> names = new TreeSet<>(WorkspaceChecks.read(workspace).keySet());
    configured.forEach(
        (name, c) -> {
          if (c.allows(project)) {
            names.add(name);
          }
        });
    return List.copyOf(names);
  }

  /** The check {@code name} stands for in {@code project}'s {@code workspace}. */
  public Optional<NamedCheck> find(String name, String project, Path workspace) {
    Configured c = configured.get(name);
    if (c != null && c.allows(project)) {
      return Optional.of(c.check());
    }
    return Optional.ofNullable(WorkspaceChecks.read(workspace).get(name));
  }

  /** The checks Review runs when a cycle names none: the workspace's committed ones. */
  public List<NamedCheck> committed(Path workspace) {
    return List.copyOf(new TreeMap<>(WorkspaceChecks.read(workspace)).values());
  }
}
