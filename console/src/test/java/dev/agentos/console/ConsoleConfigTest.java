package dev.agentos.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.LongLivedConnection;
import dev.agentos.nats.NatsAuth;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console reads the services' NATS keys, with its own defaults, into the same credentials. */
class ConsoleConfigTest {

  private static ConsoleConfig load(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(ConsoleConfig.class)
            // Quarkus reads "5s" as five seconds; plain SmallRye only knows ISO-8601.
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(ConsoleConfig.class);
  }

  @Test
  void withoutNatsKeysItConnectsToTheLocalServerWithoutCredentials() {
    ConsoleConfig.Nats nats = load(Map.of()).nats();

    assertEquals(List.of("nats://127.0.0.1:4222"), nats.servers());
    assertEquals(Duration.ofSeconds(5), nats.connectTimeout());
    assertFalse(nats.tls());
    assertEquals(NatsAuth.none(), LongLivedConnection.auth(nats));
  }

  @Test
  void readsEveryNatsKeyTheServicesRead() {
    ConsoleConfig config =
        load(
            Map.ofEntries(
                Map.entry("agentos.nats.servers", "nats://a:4222,nats://b:4222"),
                Map.entry("agentos.nats.user", "team-shop"),
                Map.entry("agentos.nats.password", "pw"),
                Map.entry("agentos.nats.token", "t0k"),
                Map.entry("agentos.nats.creds-file", "/run/secrets/shop.creds"),
                Map.entry("agentos.nats.nkey-file", "/run/secrets/shop.nk"),
                Map.entry("agentos.nats.tls", "true"),
                Map.entry("agentos.nats.tls-ca", "/etc/nats/ca.pem"),
                Map.entry("agentos.nats.tls-cert", "/etc/nats/console.pem"),
                Map.entry("agentos.nats.tls-key", "/etc/nats/console.key"),
                Map.entry("agentos.nats.connect-timeout", "3s"),
                Map.entry("agentos.console.request-timeout", "4s")));

    ConsoleConfig.Nats nats = config.nats();
    assertEquals(List.of("nats://a:4222", "nats://b:4222"), nats.servers());
    assertEquals(Duration.ofSeconds(3), nats.connectTimeout());
    assertEquals(Duration.ofSeconds(4), config.console().requestTimeout());
    assertEquals(
        new NatsAuth(
            "team-shop",
            "pw",
            "t0k",
            Path.of("/run/secrets/shop.creds"),
            Path.of("/run/secrets/shop.nk"),
            true,
            Path.of("/etc/nats/ca.pem"),
            Path.of("/etc/nats/console.pem"),
            Path.of("/etc/nats/console.key")),
        LongLivedConnection.auth(nats));
    assertTrue(nats.tls());
  }
}
