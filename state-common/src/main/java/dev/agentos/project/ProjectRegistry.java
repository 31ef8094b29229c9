package dev.agentos.project;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.JetStreamErrors;
import dev.agentos.nats.KvDocuments;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The project registry: KV {@code agentos-projects}, key = the project's name, value = its {@link
 * Project} as JSON. Only the operator's API writes it; every submit reads it.
 */
public final class ProjectRegistry implements Projects {
  private final KeyValue kv;
  private final Clock clock;

  public ProjectRegistry(KeyValue kv, Clock clock) {
    this.kv = kv;
    this.clock = clock;
  }

  public static ProjectRegistry open(Connection nc, Clock clock) throws IOException {
    return new ProjectRegistry(nc.keyValue(Topology.PROJECTS_BUCKET), clock);
  }

  /** Registers a new project; CONFLICT when the name is taken. */
  public Project add(Project project) {
    Project stored = project.validated().writtenAt(clock.instant());
    try {
      kv.create(stored.name(), Json.write(stored));
      return stored;
    } catch (JetStreamApiException e) {
      if (JetStreamErrors.is(e, JetStreamErrors.WRONG_LAST_SEQUENCE)) {
        throw new AgentOsException(
            ErrorCode.CONFLICT,
            "project '"
                + project.name()
                + "' is already registered; change it with `agentos project set`"
                + " (agentos.api.projects.set)");
      }
      throw unavailable("register project " + project.name(), e);
    } catch (IOException e) {
      throw unavailable("register project " + project.name(), e);
    }
  }

  /** Replaces a registered project's record; NOT_FOUND when it is not registered. */
  public Project set(Project project) {
    Project.requireToken(project.name(), "name");
    if (get(project.name()).isEmpty()) {
      throw unknown(project.name());
    }
    Project stored = project.validated().writtenAt(clock.instant());
    KvDocuments.replace(kv, stored.name(), Json.write(stored));
    return stored;
  }

  @Override
  public Optional<Project> get(String name) {
    if (name == null || name.isEmpty() || name.contains(".") || name.contains("*")) {
      return Optional.empty();
    }
    try {
      KeyValueEntry entry = kv.get(name);
      return entry == null || entry.getValue() == null
          ? Optional.empty()
          : Optional.of(Json.convertStored(Json.tree(entry.getValue()), Project.class));
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("read project " + name, e);
    }
  }

  public Project require(String name) {
    return get(name).orElseThrow(() -> unknown(name));
  }

  /** Every registered project, by name. */
  @Override
  public List<Project> list() {
    List<Project> projects = new ArrayList<>();
    try {
      for (String key : kv.keys()) {
        get(key).ifPresent(projects::add);
      }
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("list projects", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted while listing projects", e);
    }
    projects.sort(Comparator.comparing(Project::name));
    return projects;
  }

  static AgentOsException unknown(String name) {
    return new AgentOsException(
        ErrorCode.NOT_FOUND,
        "project '"
            + name
            + "' is not registered; an operator registers it with `agentos project add "
            + name
            + " --team <team> --root <dir>`");
  }

  private static AgentOsException unavailable(String what, Exception e) {
    return new AgentOsException(ErrorCode.UNAVAILABLE, "cannot " + what + ": " + e.getMessage(), e);
  }
}
