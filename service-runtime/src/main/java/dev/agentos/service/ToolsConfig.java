package dev.agentos.service;

import dev.agentos.agent.ModelTools;
import dev.agentos.agent.tools.ToolSettings;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a model agent works with Agent OS's tools: {@code agentos.profiles.<name>.tools.*} or {@code
 * agentos.agents.<role>.tools.*}. A CLI agent ignores it (it brings its own tools).
 */
public interface ToolsConfig {
  /**
   * Whether the model can call tools. Set it false for a model (or a server) without tool calling:
   * such a profile is refused for the executor, at start-up and at submit, and the other roles call
   * it with their prompt only.
   */
  @WithDefault("true")
  boolean calling();

  /** The most model turns one call may take. */
  @WithDefault("40")
  int maxTurns();

  /** The most tokens, in and out summed over the turns, one call may use. */
  @WithDefault("2000000")
  long maxTokens();

  /** The most time one call may take, tools included. */
  @WithDefault("30m")
  Duration maxTime();

  /**
   * The command lines the executor's {@code run} tool may start, comma-separated (e.g. {@code mvn
   * -q test,npm test}); a call must begin with one of them word by word. None: no {@code run}.
   */
  Optional<List<String>> run();

  /** How long one {@code run} may take before its processes are killed. */
  @WithDefault("5m")
  Duration runTimeout();

  /** The most characters of one tool result the model reads. */
  @WithDefault("20000")
  int resultChars();

  /** These settings for the backend, named by {@code key} in messages. */
  static ModelTools of(ToolsConfig config, String key) {
    return new ModelTools(
        new ToolSettings(
            config.calling(),
            config.maxTurns(),
            config.maxTokens(),
            config.maxTime(),
            config.run().orElse(List.of()),
            config.runTimeout(),
            config.resultChars()),
        key);
  }
}
