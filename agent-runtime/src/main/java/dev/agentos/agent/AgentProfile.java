package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import java.util.List;
import java.util.Set;

/**
 * An agent the operator defines once under {@code agentos.profiles.<name>.*} and a submit chooses
 * by name for any role. What runs (backend, model, base URL, command line, prompt mode, timeout) is
 * all here, in service configuration; a submit can only pick the name.
 *
 * @param name the profile's name, as a submit spells it
 * @param settings how to reach the agent (its role is filled in when a role uses it)
 * @param environment the names of the environment variables the agent may receive; the process
 *     launcher passes these and nothing else of the service's environment
 * @param price what the profile's model costs, or null to look the model up in the price table
 * @param projects the projects that may choose it; empty: every project
 */
public record AgentProfile(
    String name,
    AgentSettings settings,
    List<String> environment,
    PriceTable.Price price,
    Set<String> projects) {

  public AgentProfile {
    environment = environment == null ? List.of() : List.copyOf(environment);
    projects = projects == null ? Set.of() : Set.copyOf(projects);
  }

  /**
   * This profile, checked as a role would use it.
   *
   * @throws AgentOsException INVALID_REQUEST naming the {@code agentos.profiles.<name>} key to fix
   */
  public AgentProfile validated() {
    try {
      settings.withRole(name).validated();
    } catch (AgentOsException e) {
      // The settings name their keys as a role's; a profile's live under agentos.profiles.
      throw AgentOsException.invalid(
          e.getMessage()
              .replace("agentos.agents." + name + ".", "agentos.profiles." + name + ".")
              .replace(settings.withRole(name).apiKeyVariable(), apiKeyVariable()));
    }
    return this;
  }

  /**
   * The environment variable that sets this profile's key: {@code AGENTOS_PROFILES_<NAME>_API_KEY}.
   */
  public String apiKeyVariable() {
    return "AGENTOS_PROFILES_"
        + name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
        + "_API_KEY";
  }

  public boolean allows(String project) {
    return projects.isEmpty() || projects.contains(project);
  }

  /** The settings {@code role} uses when it runs this profile. */
  public AgentSettings forRole(String role) {
    return settings.withRole(role);
  }

  /**
   * Whether a cost budget can count this profile's calls: a command agent reports no tokens, so
   * there is nothing to price (its calls are limited by tokens and wall time); Claude Code and
   * aider report their own cost; the noop agent costs nothing; a chat model, Codex and Gemini CLI
   * need a price, their own or the table's for their model, or their cost would silently stay 0.
   */
  public boolean costCounted(PriceTable table) {
    AgentSettings.Backend backend = settings.backend();
    return backend == AgentSettings.Backend.COMMAND
        || backend == AgentSettings.Backend.NOOP
        || backend == AgentSettings.Backend.CLAUDE_CODE
        || backend == AgentSettings.Backend.AIDER
        || price != null
        || table.price(settings.model()).isPresent();
  }

  /** The price table a role's calls with this profile are costed with. */
  public PriceTable prices(PriceTable table) {
    if (price == null || settings.model() == null) {
      return table;
    }
    java.util.Map<String, PriceTable.Price> merged = new java.util.HashMap<>(table.prices());
    merged.put(settings.model(), price);
    return new PriceTable(merged);
  }
}
