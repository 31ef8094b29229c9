package dev.agentos.project;

import java.util.List;
import java.util.Optional;

/** Reads the project registry: what a submit and a team's request are held to. */
public interface Projects {
  Optional<Project> get(String name);

  List<Project> list();

  /** The names of {@code team}'s projects. */
  default List<String> ofTeam(String team) {
    return list().stream().filter(p -> p.team().equals(team)).map(Project::name).toList();
  }

  /** No registry: every project is unregistered (tools and tests without one). */
  Projects NONE =
      new Projects() {
        @Override
        public Optional<Project> get(String name) {
          return Optional.empty();
        }

        @Override
        public List<Project> list() {
          return List.of();
        }
      };
}
