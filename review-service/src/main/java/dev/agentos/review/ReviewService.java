package dev.agentos.review;

import dev.agentos.service.Agents;
import dev.agentos.service.ConfiguredRules;
import dev.agentos.service.TeamKnowledge;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Wires the REVIEW phase into the shared service runtime. */
@ApplicationScoped
public class ReviewService {
  @Produces
  @ApplicationScoped
  PhaseLogic reviewPhase(
      ReviewConfig config, Agents agents, TeamKnowledge knowledge, ConfiguredRules rules) {
    return new ReviewPhase(
        agents.roleAgent(Phase.REVIEW),
        config.verifyTimeout(),
        rules.checkCatalog(),
        knowledge.decisionLog(),
        Clock.systemUTC());
  }
}
