package dev.agentos.executor;

import dev.agentos.agent.cli.CliOptions;
import dev.agentos.service.AgentOsConfig;
import dev.agentos.service.Agents;
import dev.agentos.service.TeamKnowledge;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;

/** Wires the EXECUTE phase into the shared service runtime. */
@ApplicationScoped
public class ExecutorService {
  @Produces
  @ApplicationScoped
  PhaseLogic executorPhase(
      ExecutorConfig config, Agents agents, TeamKnowledge knowledge, AgentOsConfig agentos) {
    return new ExecutorPhase(
        agents.roleAgent(Phase.EXECUTE),
        config.stepAttempts(),
        new SpecTaskBoxes(),
        knowledge.decisionLog(),
        CliOptions.scratchRoot(agentos.process().scratchDir().map(Path::of).orElse(null)),
        Clock.systemUTC());
  }
}
