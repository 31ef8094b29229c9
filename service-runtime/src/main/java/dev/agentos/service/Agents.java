package dev.agentos.service;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentBackends;
import dev.agentos.agent.AgentProfile;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.ModelTools;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.cli.AgentMcp;
import dev.agentos.agent.cli.CliOptions;
import dev.agentos.error.AgentOsException;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agent each role calls: the profile the cycle chose for the role ({@code
 * agentos.profiles.<name>.*}), else the role's own ({@code agentos.agents.<role>.*}). What runs is
 * configuration only; a cycle names a profile, never a command, a base URL or a key.
 */
@ApplicationScoped
public class Agents {
  @Inject AgentOsConfig config;
  @Inject TeamKnowledge knowledge;
  @Inject Instructions instructions;

  private volatile Map<String, AgentProfile> profiles;

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

  /**
   * The agent {@code phase}'s role uses for {@code state}, or empty if none is configured.
   *
   * @throws AgentOsException INVALID_REQUEST when the cycle's choice cannot be used: a profile no
   *     longer configured, or a command line or base URL a state written before profiles carries
   */
  public Optional<AgentBackend> forRole(Phase phase, CycleState state) {
    String role = phase.role();
    AgentOverride override =
        state == null || state.optionsOrDefaults().agents() == null
            ? null
            : state.optionsOrDefaults().agents().get(role);
    if (override == null) {
      return roleDefault(role)
          .map(
              p ->
                  AgentBackends.create(
                      p.forRole(role), p.prices(prices()), p.environment(), roleTools(role)));
    }
    if (override.namesWhatRuns()) {
      throw AgentOsException.invalid(
          "cycle "
              + state.cycleId()
              + " sets "
              + String.join(", ", override.forbiddenFields())
              + " for role "
              + role
              + " (a state written before agent profiles); what runs is configured by the operator"
              + " now, so this is not run: submit the task again choosing a profile ("
              + String.join(", ", profileNames(state.project()))
              + ") or none");
    }
    AgentProfile profile = profile(override.profile(), state.project());
    return Optional.of(
        AgentBackends.create(
            profile.forRole(role),
            profile.prices(prices()),
            profile.environment(),
            profileTools(profile.name())));
  }

  public Duration timeout(Phase phase) {
    AgentOsConfig.Agent agent = config.agents().get(phase.role());
    return agent == null ? AgentSettings.DEFAULT_TIMEOUT : agent.timeout();
  }

  /** The profiles {@code project} may choose, sorted by name. */
  public List<String> profileNames(String project) {
    return profiles().values().stream()
        .filter(p -> p.allows(project))
        .map(AgentProfile::name)
        .sorted()
        .toList();
  }

  /**
   * Why a cost budget cannot count what {@code project}'s cycle would spend with these choices, if
   * it cannot: a chat model with no price anywhere.
   */
  public Optional<String> unpriced(String project, Map<String, String> chosen) {
    PriceTable table = prices();
    for (Phase phase : Phase.values()) {
      String role = phase.role();
      Optional<AgentProfile> agent =
          chosen.containsKey(role)
              ? Optional.of(profile(chosen.get(role), project))
              : roleDefault(role);
      if (agent.isPresent() && !agent.get().costCounted(table)) {
        return Optional.of(
            "role "
                + role
                + " uses "
                + (chosen.containsKey(role)
                    ? "profile " + chosen.get(role)
                    : "its configured agent")
                + " with model "
                + agent.get().settings().model()
                + ", which has no price (agentos.prices, or the profile's price)");
      }
    }
    return Optional.empty();
  }

  /**
   * Why a role that needs tools would get a model that cannot call them with these choices, if it
   * would: the message names the profile (or the role's setting) and what to use instead.
   *
   * @param chosen the profile each role uses by the submit's choice; the others use their default
   */
  public Optional<String> toolless(String project, Map<String, String> chosen) {
    for (Phase phase : Phase.values()) {
      String role = phase.role();
      if (chosen.containsKey(role)) {
        String name = chosen.get(role);
        AgentProfile profile = profile(name, project);
        Optional<String> refused =
            profileTools(name)
                .refusal(role, profile.settings().backend(), "agent profile '" + name + "'");
        if (refused.isPresent()) {
          return refused;
        }
        continue;
      }
      Optional<AgentProfile> agent = roleDefault(role);
      if (agent.isPresent()) {
        AgentOsConfig.Agent own = config.agents().get(role);
        String what =
            own.profile()
                .map(n -> "agent profile '" + n + "' (agentos.agents." + role + ".profile)")
                .orElse("the agent of agentos.agents." + role);
        Optional<String> refused =
            roleTools(role).refusal(role, agent.get().settings().backend(), what);
        if (refused.isPresent()) {
          return refused;
        }
      }
    }
    return Optional.empty();
  }

  /** A profile's tool settings ({@code agentos.profiles.<name>.tools.*}). */
  private ModelTools profileTools(String name) {
    AgentOsConfig.Profile profile = config.profiles().get(name);
    return profile == null
        ? ModelTools.DEFAULT
        : ToolsConfig.of(profile.tools(), "agentos.profiles." + name + ".tools");
  }

  /** The tool settings of a role's own agent: its named profile's, or its inline ones. */
  private ModelTools roleTools(String role) {
    AgentOsConfig.Agent agent = config.agents().get(role);
    if (agent == null) {
      return ModelTools.DEFAULT;
    }
    return agent
        .profile()
        .map(this::profileTools)
        .orElseGet(() -> ToolsConfig.of(agent.tools(), "agentos.agents." + role + ".tools"));
  }

  /** Every profile, checked once: a broken profile fails start-up, not a cycle. */
  public Map<String, AgentProfile> profiles() {
    Map<String, AgentProfile> known = profiles;
    if (known == null) {
      Map<String, AgentProfile> built = new TreeMap<>();
      config
          .profiles()
          .forEach(
              (name, p) -> {
                built.put(name, profileOf(name, p).validated());
                profileTools(name); // its tool limits are checked too
              });
      profiles = known = Map.copyOf(built);
    }
    return known;
  }

  private AgentProfile profile(String name, String project) {
    AgentProfile profile = profiles().get(name);
    if (profile == null || !profile.allows(project)) {
      throw AgentOsException.invalid(
          "agent profile '"
              + name
              + "' is not one project "
              + project
              + " may use; profiles: "
              + String.join(", ", profileNames(project)));
    }
    return profile;
  }

  /** The role's own agent as a profile: a named one, or its inline settings. */
  private Optional<AgentProfile> roleDefault(String role) {
    AgentOsConfig.Agent agent = config.agents().get(role);
    if (agent == null) {
      return Optional.empty();
    }
    if (agent.profile().isPresent()) {
      String name = agent.profile().get();
      AgentProfile profile = profiles().get(name);
      if (profile == null) {
        throw AgentOsException.invalid(
            "agentos.agents." + role + ".profile names '" + name + "', which is not configured");
      }
      return Optional.of(profile);
    }
    if (agent.backend() == AgentSettings.Backend.COMMAND && agent.command().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AgentProfile(
            role,
            settings(role, agent, agent.apiKey()),
            agent.env().orElse(List.of()),
            null,
            null));
  }

  private AgentProfile profileOf(String name, AgentOsConfig.Profile p) {
    return new AgentProfile(
        name,
        settings(name, p, p.apiKey()),
        p.env().orElse(List.of()),
        p.price().map(price -> PriceTable.parse("m=" + price).prices().get("m")).orElse(null),
        new HashSet<>(p.projects().orElse(List.of())));
  }

  private AgentSettings settings(
      String role, AgentOsConfig.AgentFields agent, Optional<String> apiKey) {
    CliOptions cli =
        new CliOptions(
            agent.permissionMode().orElse(null),
            agent.allowedTools().orElse(List.of()),
            agent.maxTurns().orElse(null),
            agent.sandbox().orElse(null),
            config.process().scratchDir().map(Path::of).orElse(null),
            agent.mcp() ? AgentMcp.of(config.process().mcpCommand(), Path.of("")) : AgentMcp.OFF);
    return new AgentSettings(
        role,
        agent.backend(),
        agent.model().orElse(null),
        agent.baseUrl().orElse(null),
        apiKey.orElse(null),
        agent.command().map(Agents::split).orElse(List.of()),
        agent.promptMode(),
        agent.timeout(),
        agent.maxTokens().orElse(null),
        agent.temperature().orElse(null),
        cli);
  }

  private PriceTable prices() {
    return config.prices().map(PriceTable::parse).orElse(PriceTable.EMPTY);
  }

  private static List<String> split(String commandLine) {
    return Arrays.stream(commandLine.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
