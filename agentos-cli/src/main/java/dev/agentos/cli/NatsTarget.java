package dev.agentos.cli;

import java.util.Optional;

/**
 * The NATS server a command talks to, and where that choice came from, so an error can say which
 * URL it tried and why that one.
 *
 * <p>In order: {@code --nats}, then {@code NATS_URL}, then the server the last {@code agentos up}
 * used (remembered in its state dir), then {@code nats://127.0.0.1:4222}.
 */
public record NatsTarget(String url, String source) {
  public static final String DEFAULT_URL = "nats://127.0.0.1:4222";
  public static final String FROM_OPTION = "--nats";
  public static final String FROM_ENV = "NATS_URL";
  public static final String FROM_UP = "started by `agentos up`";
  public static final String FROM_DEFAULT = "the default";

  public static NatsTarget resolve(String option, Environment env, Optional<RunRecord> run) {
    if (option != null && !option.isBlank()) {
      return new NatsTarget(option.strip(), FROM_OPTION);
    }
    Optional<String> fromEnv = env.get("NATS_URL");
    if (fromEnv.isPresent()) {
      return new NatsTarget(fromEnv.get().strip(), FROM_ENV);
    }
    if (run.isPresent()) {
      return new NatsTarget(run.get().natsUrl(), FROM_UP);
    }
    return new NatsTarget(DEFAULT_URL, FROM_DEFAULT);
  }

  /** {@code nats://127.0.0.1:4222 (from NATS_URL)}. */
  public String describe() {
    return url
        + " ("
        + (source.startsWith("--") || source.equals(FROM_ENV) ? "from " : "")
        + source
        + ")";
  }
}
