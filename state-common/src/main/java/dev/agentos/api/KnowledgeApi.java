package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.KnowledgeStore;
import dev.agentos.knowledge.Standard;
import dev.agentos.project.Projects;
import java.util.List;

/**
 * {@code agentos.api.standards.put|get|list} and {@code agentos.api.decisions.list}: a team shares
 * its standards and reads its decision log without copying files into every repository.
 *
 * <p>The operator's account reaches every scope. A team's account keeps the standards of its own
 * registered projects and reads their decision logs; it reads the standards every project shares
 * (scope {@code team}) but only the operator writes them, since they reach every team's prompts.
 * Another team's project is refused in the words used for an unregistered one.
 */
public final class KnowledgeApi {
  private final KnowledgeStore store;
  private final DocumentQuotas quotas;
  private final Projects projects;

  /**
   * @param projects the registry that says which team owns a project scope
   */
  public KnowledgeApi(KnowledgeStore store, DocumentQuotas quotas, Projects projects) {
    this.store = store;
    this.quotas = quotas;
    this.projects = projects;
  }

  public record StandardPut(String scope, String name, String content) {}

  public record StandardRef(String scope, String name) {}

  public record StandardList(String scope) {}

  public record StandardsReply(List<Standard> standards) {}

  public record DecisionList(String project) {}

  public record DecisionsReply(List<DecisionRecord> decisions) {}

  /** Adds the endpoints to the control API's service. */
  public JsonEndpoints addTo(JsonEndpoints endpoints) {
    return endpoints
        .addForTeams("standards.put", this::put)
        .addForTeams("standards.get", this::get)
        .addForTeams("standards.list", this::list)
        .addForTeams("decisions.list", this::decisions);
  }

  Object put(byte[] body) {
    return put(Caller.OPERATOR, body);
  }

  Object put(Caller caller, byte[] body) {
    StandardPut request = Json.read(body, StandardPut.class);
    Standard standard =
        new Standard(scopeOrTeam(request.scope()), request.name(), request.content());
    if (!caller.isOperator() && standard.scope().equals(Standard.TEAM_SCOPE)) {
      throw new AgentOsException(
          ErrorCode.FORBIDDEN,
          "the standards of scope '"
              + Standard.TEAM_SCOPE
              + "' reach every team's prompts: only an operator writes them; put a standard in"
              + " one of your projects' scopes (\"scope\": \"<project>\")");
    }
    requireReachable(caller, standard.scope());
    quotas.requireStandardRoom(
        standard.scope(),
        standard.name(),
        standard.content(),
        store.standardNames(standard.scope()));
    return store.putStandard(standard);
  }

  Object get(Caller caller, byte[] body) {
    StandardRef request = Json.read(body, StandardRef.class);
    String scope = scopeOrTeam(request.scope());
    requireReachable(caller, scope);
    return store
        .standard(scope, request.name())
        .orElseThrow(
            () ->
                new AgentOsException(
                    ErrorCode.NOT_FOUND,
                    "no standard '"
                        + request.name()
                        + "' in scope '"
                        + scope
                        + "'; list them with agentos.api.standards.list"));
  }

  Object list(Caller caller, byte[] body) {
    StandardList request = Json.read(body, StandardList.class);
    String scope = scopeOrTeam(request.scope());
    requireReachable(caller, scope);
    return new StandardsReply(store.standards(scope));
  }

  Object decisions(Caller caller, byte[] body) {
    DecisionList request = Json.read(body, DecisionList.class);
    if (!caller.isOperator()) {
      requireOwnProject(caller, request.project());
    }
    return new DecisionsReply(store.decisions(request.project()));
  }

  /** A team reaches the shared scope and its own projects' scopes; the operator every scope. */
  private void requireReachable(Caller caller, String scope) {
    if (!caller.isOperator() && !scope.equals(Standard.TEAM_SCOPE)) {
      requireOwnProject(caller, scope);
    }
  }

  private void requireOwnProject(Caller caller, String project) {
    boolean own =
        project != null
            && projects.get(project).map(p -> p.team().equals(caller.team())).orElse(false);
    if (!own) {
      throw ProjectAdmission.notRegisteredFor(caller, project);
    }
  }

  private static String scopeOrTeam(String scope) {
    return scope == null || scope.isBlank() ? Standard.TEAM_SCOPE : scope;
  }
}
