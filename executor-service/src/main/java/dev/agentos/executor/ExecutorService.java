package dev.agentos.executor;

import dev.agentos.agent.cli.CliOptions;
import dev.agentos.service.AgentOsConfig;
import dev.agentos.service.Agents;
import dev.agentos.service.TeamKnowledge;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/** Wires the EXECUTE phase into the shared service runtime. */
@ApplicationScoped
public class ExecutorService {
  /**
   * A singleton, not an application-scoped bean: the worker must see the logic itself, not a client
   * proxy of {@link PhaseLogic}, to know that it also runs the steps of a parallel plan ({@link
   * dev.agentos.worker.StepLogic}).
   */
  @Produces
  @Singleton
  PhaseLogic executorPhase(
      ExecutorConfig config, Agents agents, TeamKnowledge knowledge, AgentOsConfig agentos) {
    return new ExecutorPhase(
        agents.roleAgent(Phase.EXECUTE),
        config.stepAttempts(),
        new SpecTaskBoxes(),
        knowledge.decisionLog(),
        CliOptions.scratchRoot(agentos.process().scratchDir().map(Path::of).orElse(null)),
        Clock.systemUTC(),
        new ExecutorPhase.Parallel(config.maxParallel(), config.mergeReruns()));
  }
}
