package dev.agentos.api;

import dev.agentos.json.Json;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.KnowledgeStore;
import dev.agentos.knowledge.Standard;
import dev.agentos.nats.Topology;
import java.util.List;

/**
 * {@code agentos.api.standards.put|get|list} and {@code agentos.api.decisions.list}: a team shares
 * its standards and reads its decision log without copying files into every repository.
 */
public final class KnowledgeApi {
  private final KnowledgeStore store;
  private final DocumentQuotas quotas;

  public KnowledgeApi(KnowledgeStore store, DocumentQuotas quotas) {
    this.store = store;
    this.quotas = quotas;
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
        .add(Topology.apiSubject("standards.put"), this::put)
        .add(Topology.apiSubject("standards.get"), this::get)
        .add(Topology.apiSubject("standards.list"), this::list)
        .add(Topology.apiSubject("decisions.list"), this::decisions);
  }

  Object put(byte[] body) {
    StandardPut request = Json.read(body, StandardPut.class);
    Standard standard =
        new Standard(scopeOrTeam(request.scope()), request.name(), request.content());
    quotas.requireStandardRoom(
        standard.scope(),
        standard.name(),
        standard.content(),
        store.standardNames(standard.scope()));
    return store.putStandard(standard);
  }

  Object get(byte[] body) {
    StandardRef request = Json.read(body, StandardRef.class);
    String scope = scopeOrTeam(request.scope());
    return store
        .standard(scope, request.name())
        .orElseThrow(
            () ->
                new dev.agentos.error.AgentOsException(
                    dev.agentos.error.ErrorCode.NOT_FOUND,
                    "no standard '"
                        + request.name()
                        + "' in scope '"
                        + scope
                        + "'; list them with agentos.api.standards.list"));
  }

  Object list(byte[] body) {
    StandardList request = Json.read(body, StandardList.class);
    return new StandardsReply(store.standards(scopeOrTeam(request.scope())));
  }

  Object decisions(byte[] body) {
    DecisionList request = Json.read(body, DecisionList.class);
    return new DecisionsReply(store.decisions(request.project()));
  }

  private static String scopeOrTeam(String scope) {
    return scope == null || scope.isBlank() ? Standard.TEAM_SCOPE : scope;
  }
}
