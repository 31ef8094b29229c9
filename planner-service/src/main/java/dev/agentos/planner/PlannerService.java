package dev.agentos.planner;

import dev.agentos.service.Agents;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the PLAN phase into the shared service runtime. */
@ApplicationScoped
public class PlannerService {
  @Produces
  @ApplicationScoped
  PhaseLogic plannerPhase(Agents agents) {
    return new PlannerPhase(state -> agents.forRole(Phase.PLAN, state), agents.timeout(Phase.PLAN));
  }
}
