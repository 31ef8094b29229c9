package dev.agentos.executor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "agentos.executor")
public interface ExecutorConfig {
  /** How many times a step the agent fails is tried before it is recorded FAILED. */
  @WithDefault("2")
  int stepAttempts();
}
