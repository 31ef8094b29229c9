package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service or the CLI given an nkey seed file ({@code agentos.nats.nkey-file}, {@code NATS_NKEY})
 * proves who it is by signing the server's nonce: a nats-server that knows only that user's public
 * key lets it in, and refuses another key and a client with no key.
 */
class NatsAuthIT {
  private static NKey user;
  private static TestNats nats;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    user = NKey.createUser(null);
    Path config = dir.resolve("nkeys.conf");
    Files.writeString(
        config,
        "authorization {\n  users: [ { nkey: " + new String(user.getPublicKey()) + " } ]\n}\n");
    nats = TestNats.startWithConfig(config, Map.of(), o -> o);
  }

  @AfterAll
  static void stop() {
    if (nats != null) {
      nats.close();
    }
  }

  /** A seed file as {@code nk -gen user -pubout} writes it: the seed, then the public key. */
  private static Path seedFile(String name, NKey key) throws Exception {
    return Files.writeString(
        dir.resolve(name),
        new String(key.getSeed()) + "\n" + new String(key.getPublicKey()) + "\n");
  }

  private static Connection connect(NatsAuth auth) throws Exception {
    return Nats.connect(
        auth.applyTo(
                Options.builder()
                    .server(nats.url())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .maxReconnects(0))
            .build());
  }

  private static NatsAuth withNkey(Path file) {
    return new NatsAuth(null, null, null, null, file, false, null, null, null);
  }

  @Test
  void theUsersSeedFileLetsItInAndItTalksToTheServer() throws Exception {
    try (Connection nc = connect(withNkey(seedFile("user.nk", user)))) {
      assertEquals(Connection.Status.CONNECTED, nc.getStatus());
      io.nats.client.Subscription echo = nc.subscribe("auth.echo");
      nc.publish("auth.echo", "signed in".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      io.nats.client.Message message = echo.nextMessage(Duration.ofSeconds(5));
      assertEquals(
          "signed in", new String(message.getData(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void anotherKeysSeedAndNoKeyAtAllAreRefused() throws Exception {
    Path other = seedFile("other.nk", NKey.createUser(null));
    assertThrows(Exception.class, () -> connect(withNkey(other)).close(), "another user's key");
    assertThrows(Exception.class, () -> connect(NatsAuth.none()).close(), "no key");
  }

  @Test
  void aFileWithoutASeedIsRefusedBeforeAnythingIsSent() throws Exception {
    Path notASeed = Files.writeString(dir.resolve("public.nk"), new String(user.getPublicKey()));
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> withNkey(notASeed).applyTo(Options.builder()));
    assertEquals(notASeed + " holds no nkey seed (a line starting SU)", refused.getMessage());
  }
}
