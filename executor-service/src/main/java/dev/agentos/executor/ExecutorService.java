package dev.agentos.executor;

import dev.agentos.service.Agents;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Wires the EXECUTE phase into the shared service runtime. */
@ApplicationScoped
public class ExecutorService {
  @Produces
  @ApplicationScoped
  PhaseLogic executorPhase(ExecutorConfig config, Agents agents) {
    return new ExecutorPhase(
        agents.roleAgent(Phase.EXECUTE),
        config.stepAttempts(),
        new SpecTaskBoxes(),
        Clock.systemUTC());
  }
}
