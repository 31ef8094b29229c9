package dev.agentos.review;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "agentos.review")
public interface ReviewConfig {
  /** How long one verification command may run. */
  @WithDefault("10m")
  Duration verifyTimeout();
}
