package dev.agentos.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The agent one role gets from the environment ({@code AGENTOS_AGENTS_<ROLE>_*}), as far as the CLI
 * can tell without starting it. It knows whether a key is set, never what it is.
 *
 * @param backend {@code command} (the default), {@code openai}, {@code anthropic} or {@code ollama}
 * @param command the command line of a command agent, or null
 * @param keySet whether {@code AGENTOS_AGENTS_<ROLE>_API_KEY} is set
 */
public record RoleAgent(
    String role, String backend, String model, String baseUrl, String command, boolean keySet) {

  public static final List<String> BACKENDS = List.of("command", "openai", "anthropic", "ollama");

  public static RoleAgent of(Environment env, String role) {
    return new RoleAgent(
        role,
        env.get(variable(role, "BACKEND"))
            .map(b -> b.strip().toLowerCase(Locale.ROOT))
            .orElse("command"),
        env.get(variable(role, "MODEL")).orElse(null),
        env.get(variable(role, "BASE_URL")).orElse(null),
        env.get(variable(role, "COMMAND")).orElse(null),
        env.get(variable(role, "API_KEY")).isPresent());
  }

  /** {@code AGENTOS_AGENTS_EXECUTOR_MODEL}. */
  public static String variable(String role, String property) {
    return "AGENTOS_AGENTS_" + role.toUpperCase(Locale.ROOT) + "_" + property;
  }

  /** Whether the environment gives this role an agent at all. */
  public boolean configured() {
    return !backend.equals("command") || command != null;
  }

  public boolean isChatModel() {
    return !backend.equals("command");
  }

  /**
   * What is wrong with the configuration, if anything: an unknown backend, a chat backend without a
   * model, or a public API without a key.
   */
  public Optional<String> problem() {
    if (!BACKENDS.contains(backend)) {
      return Optional.of(
          variable(role, "BACKEND") + "=" + backend + " is not a backend; use one of " + BACKENDS);
    }
    if (isChatModel() && model == null) {
      return Optional.of(
          variable(role, "BACKEND") + "=" + backend + " needs " + variable(role, "MODEL"));
    }
    boolean publicApi =
        backend.equals("anthropic") || (backend.equals("openai") && baseUrl == null);
    if (publicApi && !keySet) {
      return Optional.of(
          backend + " at its public API needs a key: set " + variable(role, "API_KEY"));
    }
    return Optional.empty();
  }

  /** {@code openai model gpt-4.1 (key set)}, {@code command bash demo-agent.sh}; never a key. */
  public String describe() {
    if (!configured()) {
      return "none";
    }
    if (!isChatModel()) {
      return "command " + command;
    }
    return backend
        + " model "
        + (model == null ? "(none)" : model)
        + (baseUrl == null ? "" : " at " + baseUrl)
        + (keySet ? " (key set)" : " (no key)");
  }
}
