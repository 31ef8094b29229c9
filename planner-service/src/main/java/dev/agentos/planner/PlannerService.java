package dev.agentos.planner;

import dev.agentos.service.Agents;
import dev.agentos.state.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the PLAN phase into the shared service runtime. */
@ApplicationScoped
public class PlannerService {
  @Produces
  @ApplicationScoped
  PlannerPhase plannerPhase(Agents agents) {
    return new PlannerPhase(agents.roleAgent(Phase.PLAN));
  }
}
