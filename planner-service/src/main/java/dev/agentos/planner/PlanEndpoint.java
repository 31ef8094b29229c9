package dev.agentos.planner;

import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.service.AgentOsConfig;
import dev.agentos.service.RoleEndpoints;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseOutcome;
import dev.agentos.workspace.WorkspacePaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code agentos.planner.plan}: plans a spec or a goal without starting a cycle, so a person can
 * see what a submit would do. A goal is planned by the planner's agent, which costs tokens.
 */
@ApplicationScoped
public class PlanEndpoint implements RoleEndpoints {
  @Inject PlannerPhase planner;
  @Inject AgentOsConfig config;

  public record PlanRequest(String project, Workspace workspace, String spec, String goal) {}

  public record PlanReply(Plan plan, Usage usage) {}

  @Override
  public void addTo(JsonEndpoints endpoints) {
    endpoints.add(Topology.roleSubject(Phase.PLAN, "plan"), this::plan);
  }

  Object plan(byte[] body) {
    PlanRequest request = Json.read(body, PlanRequest.class);
    if (request.workspace() == null) {
      throw AgentOsException.invalid("workspace is required: {\"path\": \"/absolute/dir\"}");
    }
    if ((request.spec() == null || request.spec().isBlank())
        && (request.goal() == null || request.goal().isBlank())) {
      throw AgentOsException.invalid("give a spec (a folder inside the workspace) or a goal");
    }
    Path workspace =
        new WorkspacePaths(config.workspace().root().map(Path::of))
            .workspace(request.workspace().path());
    if (request.spec() != null) {
      WorkspacePaths.inside(workspace, request.spec(), "spec");
    }
    Instant now = Instant.now();
    CycleState preview =
        new CycleState.Builder()
            .cycleId("plan-preview")
            .project(request.project() == null ? "preview" : request.project())
            .createdAt(now)
            .updatedAt(now)
            .goal(request.goal())
            .spec(request.spec())
            .workspace(Workspace.atPath(workspace.toString()))
            .build();
    DetachedPhaseContext context = new DetachedPhaseContext(preview, workspace);
    PhaseOutcome outcome = planner.plan(context);
    if (outcome instanceof PhaseOutcome.Planned planned) {
      return new PlanReply(planned.plan(), context.uncommittedUsage());
    }
    if (outcome instanceof PhaseOutcome.Failed failed) {
      throw new AgentOsException(failed.code(), failed.message());
    }
    throw new AgentOsException(ErrorCode.INTERNAL, "the planner returned " + outcome);
  }
}
