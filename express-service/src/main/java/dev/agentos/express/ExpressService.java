package dev.agentos.express;

import dev.agentos.service.Agents;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the EXPRESS phase into the shared service runtime. */
@ApplicationScoped
public class ExpressService {
  @Produces
  @ApplicationScoped
  PhaseLogic expressPhase(Agents agents) {
    return new ExpressPhase(agents.roleAgent(Phase.EXPRESS));
  }
}
