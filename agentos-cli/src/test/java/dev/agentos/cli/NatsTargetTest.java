package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NatsTargetTest {
  private static final Environment NO_ENV = CliRun.env(Path.of("/tmp"), Map.of());
  private static final Environment WITH_ENV =
      CliRun.env(Path.of("/tmp"), Map.of("NATS_URL", "nats://env:4222"));
  private static final Optional<RunRecord> UP =
      Optional.of(
          new RunRecord(Instant.EPOCH, "nats://127.0.0.1:40001", null, List.of(), Map.of()));

  @Test
  void theOptionWinsOverEverything() {
    NatsTarget t = NatsTarget.resolve("nats://opt:4222", WITH_ENV, UP);
    assertEquals("nats://opt:4222", t.url());
    assertEquals("nats://opt:4222 (from --nats)", t.describe());
  }

  @Test
  void natsUrlWinsOverWhatUpStarted() {
    assertEquals(
        "nats://env:4222 (from NATS_URL)", NatsTarget.resolve(null, WITH_ENV, UP).describe());
  }

  @Test
  void theServerUpStartedIsTheDefault() {
    assertEquals(
        "nats://127.0.0.1:40001 (started by `agentos up`)",
        NatsTarget.resolve(null, NO_ENV, UP).describe());
  }

  @Test
  void withNothingItIsTheUsualLocalPort() {
    assertEquals(
        "nats://127.0.0.1:4222 (the default)",
        NatsTarget.resolve(" ", NO_ENV, Optional.empty()).describe());
  }
}
