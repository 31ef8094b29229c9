package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.history.HistoryRecord;
import dev.agentos.history.HistoryStore;
import dev.agentos.history.Stats;
import dev.agentos.json.Json;
import dev.agentos.project.Projects;
import dev.agentos.state.Status;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code agentos.api.history} and {@code agentos.api.stats}: what a team learns across cycles, from
 * the history bucket alone (no database: NATS stays the only infrastructure). The operator reads
 * every project's; a team (on {@code agentos.team.<team>.api.*}) its registered projects' only.
 */
public final class HistoryApi {
  private final HistoryStore history;
  private final Projects projects;

  public HistoryApi(HistoryStore history) {
    this(history, Projects.NONE);
  }

  /**
   * @param projects which projects are whose: a team reads the history of its own projects only
   */
  public HistoryApi(HistoryStore history, Projects projects) {
    this.history = history;
    this.projects = projects;
  }

  /**
   * Filters shared by both endpoints; every field is optional. {@code rebuild} (stats only)
   * recomputes the running totals from the records first.
   */
  public record Query(
      String project,
      String instruction,
      Status status,
      Instant since,
      Integer limit,
      Boolean rebuild) {
    public Query(String project, String instruction, Status status, Instant since, Integer limit) {
      this(project, instruction, status, since, limit, null);
    }

    /** Whether the running totals can answer: no filter but the project. */
    boolean totalsAnswer() {
      return instruction == null && status == null && since == null;
    }
  }

  public record HistoryReply(List<HistoryRecord> cycles) {}

  public JsonEndpoints addTo(JsonEndpoints endpoints) {
    return endpoints.addForTeams("history", this::history).addForTeams("stats", this::stats);
  }

  Object history(Caller caller, byte[] body) {
    Query query = Json.read(body, Query.class);
    int limit = query.limit() == null ? 100 : query.limit();
    if (limit < 1 || limit > 10_000) {
      throw AgentOsException.invalid("limit must be between 1 and 10000, not " + limit);
    }
    List<HistoryRecord> records = records(caller, query);
    return new HistoryReply(records.subList(0, Math.min(limit, records.size())));
  }

  /**
   * From the running totals when only a project (or nothing) narrows the query: one document per
   * project, not a read of every record. Any other filter needs the records themselves.
   */
  /**
   * A team's figures come from the totals of a project of its own, or else from its projects'
   * records: the totals of all projects would count other teams' cycles.
   */
  Object stats(Caller caller, byte[] body) {
    Query query = Json.read(body, Query.class);
    validProject(query);
    if (Boolean.TRUE.equals(query.rebuild())) {
      if (!caller.isOperator()) {
        throw new AgentOsException(
            ErrorCode.FORBIDDEN, "only the operator rebuilds the statistics of every project");
      }
      history.rebuildStats();
    }
    boolean ownProject =
        caller.isOperator()
            || (query.project() != null && teamProjects(caller).contains(query.project()));
    if (query.totalsAnswer() && ownProject) {
      return history.stats(query.project());
    }
    return Stats.of(records(caller, query));
  }

  private Set<String> teamProjects(Caller caller) {
    return Set.copyOf(projects.ofTeam(caller.team()));
  }

  private static void validProject(Query query) {
    if (query.project() != null && !query.project().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw AgentOsException.invalid("project '" + query.project() + "' is not a project name");
    }
  }

  private List<HistoryRecord> records(Caller caller, Query query) {
    validProject(query);
    Set<String> visible = caller.isOperator() ? null : teamProjects(caller);
    Predicate<HistoryRecord> filter =
        r ->
            (visible == null || visible.contains(r.project()))
                && (query.instruction() == null || query.instruction().equals(r.instruction()))
                && (query.status() == null || query.status() == r.status())
                && (query.since() == null
                    || (r.endedAt() != null && !r.endedAt().isBefore(query.since())));
    return history.list(query.project(), filter);
  }
}
