package dev.agentos.executor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "agentos.executor")
public interface ExecutorConfig {
  /** How many times a step the agent fails is tried before it is recorded FAILED. */
  @WithDefault("2")
  int stepAttempts();

  /**
   * How many steps of one cycle run at once, across every executor replica, when the plan declares
   * depends_on and the cycle works in a git workspace.
   */
  @WithDefault("4")
  int maxParallel();

  /**
   * How many times a parallel step whose merge into the cycle branch conflicts is run again on the
   * new head, with the conflict as feedback, before it fails for Review.
   */
  @WithDefault("2")
  int mergeReruns();
}
