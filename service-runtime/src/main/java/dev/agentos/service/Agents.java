package dev.agentos.service;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentBackends;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.CommandBackend;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.RoleAgent;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The agent each role calls, from {@code agentos.agents.<role>.*} and the cycle's per-role
 * override. Keys stay in config: a cycle can choose another model or command, never a secret.
 */
@ApplicationScoped
public class Agents {
  @Inject AgentOsConfig config;
  @Inject TeamKnowledge knowledge;
  @Inject Instructions instructions;

  /** The agent access of {@code phase}'s role, as phases take it. */
  public RoleAgent roleAgent(Phase phase) {
    AgentOsConfig.Agent agent = config.agents().get(phase.role());
    return new RoleAgent(
        phase,
        state -> forRole(phase, state),
        knowledge::forProject,
        instructions::of,
        timeout(phase),
        agent == null ? RoleAgent.DEFAULT_MAX_PROMPT_CHARS : agent.maxPromptChars());
  }

  /** The agent {@code phase}'s role uses for {@code state}, or empty if none is configured. */
  public Optional<AgentBackend> forRole(Phase phase, CycleState state) {
    return settings(phase, state).map(s -> AgentBackends.create(s, prices()));
  }

  public Duration timeout(Phase phase) {
    AgentOsConfig.Agent agent = config.agents().get(phase.role());
    return agent == null ? AgentSettings.DEFAULT_TIMEOUT : agent.timeout();
  }

  private Optional<AgentSettings> settings(Phase phase, CycleState state) {
    String role = phase.role();
    AgentOsConfig.Agent agent = config.agents().get(role);
    AgentSettings configured = agent == null ? null : configured(role, agent);
    AgentOverride override =
        state == null || state.optionsOrDefaults().agents() == null
            ? null
            : state.optionsOrDefaults().agents().get(role);
    if (override != null) {
      AgentSettings base =
          configured != null ? configured : AgentSettings.command(role, List.of(), null);
      return Optional.of(
          base.withOverride(
              override.backend(), override.model(), override.baseUrl(), override.command()));
    }
    return Optional.ofNullable(configured);
  }

  private static AgentSettings configured(String role, AgentOsConfig.Agent agent) {
    AgentSettings.Backend backend = AgentSettings.Backend.parse(role, agent.backend());
    if (backend == AgentSettings.Backend.COMMAND && agent.command().isEmpty()) {
      return null;
    }
    CommandBackend.PromptMode mode =
        agent.promptMode().equalsIgnoreCase("argument")
            ? CommandBackend.PromptMode.ARGUMENT
            : CommandBackend.PromptMode.STDIN;
    return new AgentSettings(
        role,
        backend,
        agent.model().orElse(null),
        agent.baseUrl().orElse(null),
        agent.apiKey().orElse(null),
        agent.command().map(Agents::split).orElse(List.of()),
        mode,
        agent.timeout(),
        agent.maxTokens().orElse(null),
        agent.temperature().orElse(null));
  }

  private PriceTable prices() {
    return config.prices().map(PriceTable::parse).orElse(PriceTable.EMPTY);
  }

  private static List<String> split(String commandLine) {
    return Arrays.stream(commandLine.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
