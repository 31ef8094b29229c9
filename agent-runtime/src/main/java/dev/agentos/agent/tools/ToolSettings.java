package dev.agentos.agent.tools;

import dev.agentos.error.AgentOsException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How a model agent works with tools, as a profile ({@code agentos.profiles.<name>.tools.*}) or a
 * role's own agent ({@code agentos.agents.<role>.tools.*}) configures it.
 *
 * @param calling whether the model can call tools; a model that cannot is refused for the roles
 *     that need tools (the executor) and talks to the others with its prompt only
 * @param maxTurns the most model turns one call may take before it fails
 * @param maxTokens the most tokens (in and out, summed over the turns) one call may use
 * @param maxTime the most time one call may take, its tools' runs included
 * @param run the command lines the {@code run} tool may start (a call must begin with one of them,
 *     word by word); empty: no {@code run} tool
 * @param runTimeout how long one {@code run} may take before its processes are killed
 * @param resultChars the most characters of one tool result the model gets back
 */
public record ToolSettings(
    boolean calling,
    int maxTurns,
    long maxTokens,
    Duration maxTime,
    List<String> run,
    Duration runTimeout,
    int resultChars) {

  public static final int DEFAULT_MAX_TURNS = 40;
  public static final long DEFAULT_MAX_TOKENS = 2_000_000;
  public static final Duration DEFAULT_MAX_TIME = Duration.ofMinutes(30);
  public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_RESULT_CHARS = 20_000;

  /** Tool calling on, the default limits, no commands to run. */
  public static final ToolSettings DEFAULT =
      new ToolSettings(
          true,
          DEFAULT_MAX_TURNS,
          DEFAULT_MAX_TOKENS,
          DEFAULT_MAX_TIME,
          List.of(),
          DEFAULT_RUN_TIMEOUT,
          DEFAULT_RESULT_CHARS);

  public ToolSettings {
    run =
        run == null
            ? List.of()
            : run.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    maxTime = maxTime == null ? DEFAULT_MAX_TIME : maxTime;
    runTimeout = runTimeout == null ? DEFAULT_RUN_TIMEOUT : runTimeout;
  }

  /** A model that cannot call tools: every other setting is unused. */
  public static ToolSettings noCalling() {
    return DEFAULT.withCalling(false);
  }

  public ToolSettings withCalling(boolean calling) {
    return new ToolSettings(calling, maxTurns, maxTokens, maxTime, run, runTimeout, resultChars);
  }

  public ToolSettings withMaxTurns(int turns) {
    return new ToolSettings(calling, turns, maxTokens, maxTime, run, runTimeout, resultChars);
  }

  public ToolSettings withRun(List<String> commands) {
    return new ToolSettings(
        calling, maxTurns, maxTokens, maxTime, commands, runTimeout, resultChars);
  }

  /**
   * These settings, checked; {@code prefix} is where they are configured ({@code
   * agentos.profiles.local.tools}).
   *
   * @throws AgentOsException INVALID_REQUEST naming the key to fix
   */
  public ToolSettings validated(String prefix) {
    if (maxTurns < 1) {
      throw AgentOsException.invalid(prefix + ".max-turns=" + maxTurns + " must be at least 1");
    }
    if (maxTokens < 1) {
      throw AgentOsException.invalid(prefix + ".max-tokens=" + maxTokens + " must be at least 1");
    }
    if (maxTime.isZero() || maxTime.isNegative()) {
      throw AgentOsException.invalid(prefix + ".max-time=" + maxTime + " must be positive");
    }
    if (runTimeout.isZero() || runTimeout.isNegative()) {
      throw AgentOsException.invalid(prefix + ".run-timeout=" + runTimeout + " must be positive");
    }
    if (resultChars < 1000) {
      throw AgentOsException.invalid(
          prefix + ".result-chars=" + resultChars + " must be at least 1000");
    }
    return this;
  }

  /** The allowed command lines, each split into its words. */
  public List<List<String>> runWords() {
    return run.stream().map(ToolSettings::words).toList();
  }

  /** A command line split on white space; the {@code run} tool never uses a shell. */
  public static List<String> words(String commandLine) {
    return Arrays.stream(commandLine.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
