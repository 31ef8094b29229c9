package dev.agentos.service;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.CommandBackend;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent each role calls, from {@code agentos.agents.<role>.*} and the cycle's per-role
 * override. Keys stay in config: a cycle can choose another model or command, never a secret.
 */
@ApplicationScoped
public class Agents {
  @Inject AgentOsConfig config;

  /** The agent {@code phase}'s role uses for {@code state}, or empty if none is configured. */
  public Optional<AgentBackend> forRole(Phase phase, CycleState state) {
    AgentOsConfig.Agent agent = config.agents().get(phase.role());
    AgentOverride override =
        state == null || state.optionsOrDefaults().agents() == null
            ? null
            : state.optionsOrDefaults().agents().get(phase.role());
    List<String> command =
        override != null && override.command() != null && !override.command().isEmpty()
            ? override.command()
            : agent == null ? List.of() : agent.command().map(Agents::split).orElse(List.of());
    if (command.isEmpty()) {
      return Optional.empty();
    }
    CommandBackend.PromptMode mode =
        agent != null && agent.promptMode().equalsIgnoreCase("argument")
            ? CommandBackend.PromptMode.ARGUMENT
            : CommandBackend.PromptMode.STDIN;
    return Optional.of(new CommandBackend(command, mode, Map.of()));
  }

  /** Like {@link #forRole}, but a missing agent is an error that says what to configure. */
  public AgentBackend requireForRole(Phase phase, CycleState state) {
    return forRole(phase, state)
        .orElseThrow(
            () ->
                new AgentOsException(
                    ErrorCode.INVALID_REQUEST,
                    "no agent is configured for role "
                        + phase.role()
                        + ": set agentos.agents."
                        + phase.role()
                        + ".command (or AGENTOS_AGENTS_"
                        + phase.role().toUpperCase()
                        + "_COMMAND)"));
  }

  public Duration timeout(Phase phase) {
    AgentOsConfig.Agent agent = config.agents().get(phase.role());
    return agent == null ? Duration.ofMinutes(10) : agent.timeout();
  }

  private static List<String> split(String commandLine) {
    return Arrays.stream(commandLine.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
