package dev.agentos.express;

import dev.agentos.api.CycleIds;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.api.Requests;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.prompt.StepRecordText;
import dev.agentos.service.AgentOsConfig;
import dev.agentos.service.AgentOsRuntime;
import dev.agentos.service.RoleEndpoints;
import dev.agentos.state.CycleState;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code agentos.express.summary}: what a cycle has done so far, for any cycle id — the last
 * recap's summary and place when there is one, else the step count of the iteration in progress.
 */
@ApplicationScoped
public class SummaryEndpoint implements RoleEndpoints {
  @Inject AgentOsRuntime runtime;
  @Inject AgentOsConfig config;

  public record SummaryReply(
      String cycleId,
      Status status,
      int iteration,
      String summary,
      String recapPath,
      String steps) {}

  @Override
  public void addTo(JsonEndpoints endpoints) {
    endpoints.add(Topology.roleSubject(Phase.EXPRESS, "summary"), this::summary);
  }

  Object summary(byte[] body) {
    Requests.CycleRef ref = Json.read(body, Requests.CycleRef.class);
    String cycleId = CycleIds.requireValid(ref.cycleId());
    CycleState state =
        runtime
            .store()
            .orElseThrow(() -> new AgentOsException(ErrorCode.UNAVAILABLE, "still starting"))
            .require(cycleId);
    ExpressResult latest = null;
    for (Iteration iteration : state.iterations()) {
      if (iteration.express() != null) {
        latest = iteration.express();
      }
    }
    Iteration current = state.currentIteration();
    String summary =
        current.express() != null || latest == null
            ? (current.express() != null
                ? current.express().summary()
                : ExpressPhase.countedSummary(current))
            : latest.summary();
    return new SummaryReply(
        cycleId,
        state.status(),
        state.iteration(),
        summary,
        latest == null ? null : latest.recapPath(),
        StepRecordText.of(current));
  }
}
