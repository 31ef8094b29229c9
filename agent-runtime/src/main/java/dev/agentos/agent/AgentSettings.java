package dev.agentos.agent;

import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.agent.cli.CliOptions;
import dev.agentos.error.AgentOsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How one role reaches its agent, as configured under {@code agentos.agents.<role>.*}.
 *
 * @param role the role these settings are for (planner, executor, express, review)
 * @param backend which kind of agent
 * @param model the model name (chat backends)
 * @param baseUrl the server's base URL; null means the backend's public default
 * @param apiKey the API key, or null; a secret: never printed, and only ever sent to the backend
 *     and base URL it was configured with
 * @param command the command line of a {@code command} agent
 * @param promptMode how a {@code command} agent gets the prompt
 * @param timeout how long one call may take when the request names no timeout of its own
 * @param maxTokens the most tokens a model may answer with, or null for the backend's default
 * @param temperature the sampling temperature, or null for the model's default
 * @param cli the options of a CLI agent preset ({@code claude-code}, {@code codex}, ...): its
 *     permission mode, tools, turns, sandbox and where its processes get their own HOME
 */
public record AgentSettings(
    String role,
    Backend backend,
    String model,
    String baseUrl,
    String apiKey,
    List<String> command,
    PromptMode promptMode,
    Duration timeout,
    Integer maxTokens,
    Double temperature,
    CliOptions cli) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** Every backend's configured spelling, for messages. */
  static final String BACKEND_NAMES =
      "command, openai, anthropic, ollama, claude-code, codex, gemini-cli, aider, noop";

  /** The kinds of agent a role can use. */
  public enum Backend {
    COMMAND(null),
    OPENAI("https://api.openai.com/v1"),
    ANTHROPIC("https://api.anthropic.com/v1/"),
    OLLAMA("http://localhost:11434"),
    /** Claude Code run headless ({@code claude -p}); see {@code agent.cli.ClaudeCodePreset}. */
    CLAUDE_CODE(null),
    /** OpenAI Codex run headless ({@code codex exec}). */
    CODEX(null),
    /** Gemini CLI run headless ({@code gemini -p}). */
    GEMINI_CLI(null),
    /** aider run with one message ({@code aider --message-file}). */
    AIDER(null),
    /**
     * No agent: every call is answered at once in-process, changing nothing (see {@link
     * NoopBackend}). An operator profile for measuring Agent OS's own orchestration.
     */
    NOOP(null);

    private final String defaultBaseUrl;

    Backend(String defaultBaseUrl) {
      this.defaultBaseUrl = defaultBaseUrl;
    }

    public String defaultBaseUrl() {
      return defaultBaseUrl;
    }

    /** The configured spelling ({@code openai}), case-insensitive. */
    public static Backend parse(String role, String value) {
      for (Backend backend : values()) {
        if (backend.configName().equalsIgnoreCase(value == null ? "" : value.strip())) {
          return backend;
        }
      }
      throw AgentOsException.invalid(
          configKey(role, "backend")
              + "='"
              + value
              + "' is not a backend; use one of "
              + BACKEND_NAMES);
    }

    /** How it is configured: {@code openai}, {@code claude-code}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A CLI agent Agent OS knows how to run and read (a preset), not a plain command. */
    public boolean isCliPreset() {
      return this == CLAUDE_CODE || this == CODEX || this == GEMINI_CLI || this == AIDER;
    }

    /** A chat model Agent OS calls over HTTP itself. */
    public boolean isChat() {
      return this == OPENAI || this == ANTHROPIC || this == OLLAMA;
    }
  }

  public AgentSettings {
    command = command == null ? List.of() : List.copyOf(command);
    promptMode = promptMode == null ? PromptMode.STDIN : promptMode;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    model = blankToNull(model);
    baseUrl = blankToNull(baseUrl);
    apiKey = blankToNull(apiKey);
    cli = cli == null ? CliOptions.NONE : cli;
  }

  /** Settings without CLI options (chat models and plain commands need none). */
  public AgentSettings(
      String role,
      Backend backend,
      String model,
      String baseUrl,
      String apiKey,
      List<String> command,
      PromptMode promptMode,
      Duration timeout,
      Integer maxTokens,
      Double temperature) {
    this(
        role,
        backend,
        model,
        baseUrl,
        apiKey,
        command,
        promptMode,
        timeout,
        maxTokens,
        temperature,
        CliOptions.NONE);
  }

  /** A CLI agent preset ({@code claude-code}, {@code codex}, ...) with its options. */
  public static AgentSettings cliPreset(
      String role, Backend preset, String model, List<String> command, CliOptions options) {
    return new AgentSettings(
        role, preset, model, null, null, command, null, null, null, null, options);
  }

  /** A {@code command} agent. */
  public static AgentSettings command(String role, List<String> command, PromptMode promptMode) {
    return new AgentSettings(
        role, Backend.COMMAND, null, null, null, command, promptMode, null, null, null);
  }

  /** A chat-model agent; {@code baseUrl} and {@code apiKey} may be null. */
  public static AgentSettings chat(
      String role, Backend backend, String model, String baseUrl, String apiKey) {
    return new AgentSettings(
        role, backend, model, baseUrl, apiKey, List.of(), null, null, null, null);
  }

  public AgentSettings withTimeout(Duration timeout) {
    return copy(role, timeout, maxTokens, temperature);
  }

  /** These settings for {@code role}: a profile is defined once and used by any role. */
  public AgentSettings withRole(String role) {
    return copy(role, timeout, maxTokens, temperature);
  }

  public AgentSettings withMaxTokens(Integer maxTokens) {
    return copy(role, timeout, maxTokens, temperature);
  }

  public AgentSettings withTemperature(Double temperature) {
    return copy(role, timeout, maxTokens, temperature);
  }

  /**
   * These settings, checked: a chat backend has a model, a command backend a command, a backend
   * that needs a key has one, numbers are in range.
   *
   * @throws AgentOsException INVALID_REQUEST naming the setting to fix
   */
  public AgentSettings validated() {
    if (isBlank(role)) {
      throw AgentOsException.invalid("agent settings need a role (planner, executor, ...)");
    }
    if (backend == null) {
      throw AgentOsException.invalid(
          configKey("backend") + " is not set; use one of " + BACKEND_NAMES);
    }
    String selected = configKey("backend") + "=" + backend.configName();
    if (backend == Backend.COMMAND) {
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw AgentOsException.invalid(selected + " needs " + configKey("command"));
      }
    } else if (backend.isCliPreset()) {
      // The program defaults to the tool's own name; command only says where it is.
      cli.validate(configKey(""));
    } else if (backend != Backend.NOOP) {
      if (model == null) {
        throw AgentOsException.invalid(selected + " needs " + configKey("model"));
      }
      checkUrl();
      if (needsApiKey() && apiKey == null) {
        throw AgentOsException.invalid(
            selected
                + " at "
                + displayBaseUrl()
                + " needs an API key; set "
                + apiKeyVariable()
                + " ("
                + configKey("api-key")
                + ")");
      }
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw AgentOsException.invalid(
          configKey("timeout") + "=" + timeout + " must be positive, e.g. PT10M");
    }
    if (maxTokens != null && maxTokens <= 0) {
      throw AgentOsException.invalid(configKey("max-tokens") + "=" + maxTokens + " must be > 0");
    }
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      throw AgentOsException.invalid(
          configKey("temperature") + "=" + temperature + " must be between 0 and 2");
    }
    return this;
  }

  /** Whether a call can work without a key: local servers usually need none, public APIs do. */
  public boolean needsApiKey() {
    return switch (backend) {
      case ANTHROPIC -> true;
      case OPENAI -> effectiveBaseUrl().equals(trimSlash(Backend.OPENAI.defaultBaseUrl()));
      default -> false;
    };
  }

  public boolean hasApiKey() {
    return apiKey != null;
  }

  /** The base URL calls go to, without a trailing slash; empty for a command agent. */
  public String effectiveBaseUrl() {
    String url = baseUrl != null ? baseUrl : backend.defaultBaseUrl();
    return url == null ? "" : trimSlash(url);
  }

  /** The base URL for messages and logs: without user info or query, which may hold secrets. */
  public String displayBaseUrl() {
    String url = effectiveBaseUrl();
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null) {
        return url;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "(unparsable base URL)";
    }
  }

  /** {@code agentos.agents.<role>.<property>}. */
  public String configKey(String property) {
    return configKey(role, property);
  }

  /** The environment variable that sets this role's key: {@code AGENTOS_AGENTS_<ROLE>_API_KEY}. */
  public String apiKeyVariable() {
    return "AGENTOS_AGENTS_"
        + String.valueOf(role).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
        + "_API_KEY";
  }

  @Override
  public String toString() {
    return "AgentSettings[role="
        + role
        + ", backend="
        + name(backend)
        + ", model="
        + model
        + ", baseUrl="
        + (baseUrl == null ? null : displayBaseUrl())
        + ", apiKey="
        + (apiKey == null ? "<none>" : "****")
        + ", command="
        + command
        + ", promptMode="
        + promptMode
        + ", timeout="
        + timeout
        + ", maxTokens="
        + maxTokens
        + ", temperature="
        + temperature
        + ", cli="
        + cli
        + "]";
  }

  private AgentSettings copy(String role, Duration timeout, Integer maxTokens, Double temperature) {
    return new AgentSettings(
        role,
        backend,
        model,
        baseUrl,
        apiKey,
        command,
        promptMode,
        timeout,
        maxTokens,
        temperature,
        cli);
  }

  private void checkUrl() {
    String url = effectiveBaseUrl();
    try {
      URI uri = new URI(url);
      if (uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw AgentOsException.invalid(
        configKey("base-url") + " is not an http(s) URL; use e.g. " + backend.defaultBaseUrl());
  }

  private static String configKey(String role, String property) {
    return "agentos.agents." + role + "." + property;
  }

  private static String name(Backend backend) {
    return backend == null ? "none" : backend.configName();
  }

  private static String trimSlash(String url) {
    String trimmed = url.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static String blankToNull(String value) {
    return isBlank(value) ? null : value.strip();
  }
}
