package dev.agentos.api;

import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.project.Project;
import dev.agentos.project.ProjectRegistry;
import java.util.List;

/**
 * {@code agentos.api.projects.add|set|get|list}: the operator's registry of projects. Only the
 * operator's account reaches these subjects: a team account imports {@code agentos.api.>} from
 * {@code agentos.team.<team>.api.>}, where no project endpoint listens.
 */
public final class ProjectsApi {
  private final ProjectRegistry registry;

  public ProjectsApi(ProjectRegistry registry) {
    this.registry = registry;
  }

  public record ProjectRef(String name) {}

  public record ProjectsReply(List<Project> projects) {}

  public JsonEndpoints addTo(JsonEndpoints endpoints) {
    return endpoints
        .add(Topology.apiSubject("projects.add"), this::add)
        .add(Topology.apiSubject("projects.set"), this::set)
        .add(Topology.apiSubject("projects.get"), this::get)
        .add(Topology.apiSubject("projects.list"), this::list);
  }

  Object add(byte[] body) {
    return registry.add(Json.read(body, Project.class));
  }

  Object set(byte[] body) {
    return registry.set(Json.read(body, Project.class));
  }

  Object get(byte[] body) {
    return registry.require(Json.read(body, ProjectRef.class).name());
  }

  Object list(byte[] body) {
    return new ProjectsReply(registry.list());
  }
}
