package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.agentos.nats.Topology;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.KeyValueEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Looks for secrets where they must never be: cycle states (all revisions), events, logs. */
final class Secrets {
  private Secrets() {}

  static void assertNowhere(Cluster cluster, List<String> secrets) throws Exception {
    StringBuilder seen = new StringBuilder();
    KeyValue cycles = cluster.nc.keyValue(Topology.CYCLES_BUCKET);
    for (String key : cycles.keys()) {
      for (KeyValueEntry entry : cycles.history(key)) {
        if (entry.getValue() != null) {
          seen.append(new String(entry.getValue(), StandardCharsets.UTF_8)).append('\n');
        }
      }
    }
    JetStreamSubscription events =
        cluster
            .nc
            .jetStream()
            .subscribe(
                Topology.EVENTS_PREFIX + ">",
                PullSubscribeOptions.builder().stream(Topology.EVENTS_STREAM).build());
    List<Message> batch;
    do {
      batch = events.fetch(500, Duration.ofMillis(500));
      for (Message m : batch) {
        seen.append(new String(m.getData(), StandardCharsets.UTF_8)).append('\n');
        m.ack();
      }
    } while (!batch.isEmpty());
    try (Stream<Path> logs = Files.list(cluster.logDir)) {
      for (Path log : logs.toList()) {
        seen.append(Files.readString(log)).append('\n');
      }
    }
    String all = seen.toString();
    for (String secret : secrets) {
      assertFalse(all.contains(secret), "a secret leaked into state, events or logs");
    }
    assertFalse(all.isEmpty());
  }
}
