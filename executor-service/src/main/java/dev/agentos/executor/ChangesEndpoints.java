package dev.agentos.executor;

import dev.agentos.api.CycleIds;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.git.CycleChanges;
import dev.agentos.git.GitCheckouts;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.service.AgentOsRuntime;
import dev.agentos.service.RoleEndpoints;
import dev.agentos.state.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * {@code agentos.executor.diff} and {@code agentos.executor.revert}: a cycle's or a step's changes,
 * and the revert of a step's commit, done by the executor from its own git cache — the caller needs
 * no access to the remote.
 */
@ApplicationScoped
public class ChangesEndpoints implements RoleEndpoints {
  @Inject AgentOsRuntime runtime;

  /** {@code {"cycle_id", "step"}}; the step is optional for a diff. */
  public record ChangesRequest(String cycleId, String step) {}

  @Override
  public void addTo(JsonEndpoints endpoints) {
    endpoints
        .add(Topology.roleSubject(Phase.EXECUTE, "diff"), this::diff)
        .add(Topology.roleSubject(Phase.EXECUTE, "revert"), this::revert);
  }

  Object diff(byte[] body) {
    ChangesRequest request = Json.read(body, ChangesRequest.class);
    String cycleId = CycleIds.requireValid(request.cycleId());
    return changes().diff(store().require(cycleId), step(request.step(), false));
  }

  Object revert(byte[] body) {
    ChangesRequest request = Json.read(body, ChangesRequest.class);
    String cycleId = CycleIds.requireValid(request.cycleId());
    return changes().revert(store(), cycleId, step(request.step(), true));
  }

  private static String step(String step, boolean required) {
    if (step == null || step.isBlank()) {
      if (required) {
        throw AgentOsException.invalid("step is required: the id of the step to revert, e.g. 2");
      }
      return null;
    }
    if (!step.matches("[A-Za-z0-9._-]{1,64}")) {
      throw AgentOsException.invalid(
          "step is not a step id: give 1-64 of A-Z, a-z, 0-9, '.', '_' and '-', e.g. 2");
    }
    return step;
  }

  private CycleStore store() {
    return runtime
        .store()
        .orElseThrow(() -> new AgentOsException(ErrorCode.UNAVAILABLE, "still starting"));
  }

  private CycleChanges changes() {
    GitCheckouts checkouts =
        runtime
            .gitCheckouts()
            .orElseThrow(() -> new AgentOsException(ErrorCode.UNAVAILABLE, "still starting"));
    return new CycleChanges(checkouts, Clock.systemUTC());
  }
}
