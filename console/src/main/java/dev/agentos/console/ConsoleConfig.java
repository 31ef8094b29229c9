package dev.agentos.console;

import dev.agentos.nats.NatsConnectionSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * What the console reads from {@code agentos.*}: the NATS connection of the team it serves (the
 * same keys as the services', so one ConfigMap fits both: user and password, token, creds or nkey
 * file, TLS with a CA and a client certificate) and its own {@code agentos.console.*}.
 */
@ConfigMapping(prefix = "agentos")
public interface ConsoleConfig {
  Nats nats();

  Console console();

  /**
   * The team's NATS user: the console can read and do only what this user may. The keys are the
   * services' own ({@link NatsConnectionSettings}), with the console's defaults. Secrets come from
   * env or files and are never logged.
   */
  interface Nats extends NatsConnectionSettings {
    @Override
    @WithDefault("nats://127.0.0.1:4222")
    List<String> servers();

    @Override
    @WithDefault("false")
    boolean tls();

    @Override
    @WithDefault("5s")
    Duration connectTimeout();
  }

  interface Console {
    /** How many of the newest cycles the live list holds. */
    @WithDefault("200")
    int listLimit();

    /** How often the live list is read again in full, to catch what events did not say. */
    @WithDefault("30s")
    Duration resync();

    /** How long one API request may take before the console says the services do not answer. */
    @WithDefault("10s")
    Duration requestTimeout();
  }
}
