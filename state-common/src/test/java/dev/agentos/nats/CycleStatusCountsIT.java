package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.json.Json;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two processes following the cycles bucket (two connections, each with its own index) count the
 * same cycles by status from the headers of the writes alone: no delivery of a cycle state reaches
 * either of them, and a state written without a status header is read once and counted.
 */
class CycleStatusCountsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TopologySettings SETTINGS =
      new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1));

  private static TestNats nats;
  private static Connection writer;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    writer = nats.connect();
    Topology.ensure(writer, SETTINGS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void twoFollowersCountEveryStatusFromHeadersOnly() throws Exception {
    CycleStore store = CycleStore.open(writer);
    KeyValue kv = writer.keyValue(Topology.CYCLES_BUCKET);
    // Written before the followers start: loaded from the bucket's last revisions.
    store.create(withId(CycleFixtures.inStatus(Status.QUEUED), "early-1"));
    CycleStore.Versioned done =
        store.create(withId(CycleFixtures.inStatus(Status.COMPLETED), "early-2"));
    assertTrue(store.settle(done));

    try (Connection podA = nats.connect();
        Connection podB = nats.connect();
        Connection census = nats.connect();
        SettledCycles a = SettledCycles.follow(podA);
        SettledCycles b = SettledCycles.follow(podB)) {
      AtomicLong stateDeliveries = new AtomicLong();
      AtomicLong headerDeliveries = new AtomicLong();
      Dispatcher watching =
          census.createDispatcher(
              m -> {
                boolean delivery = m.getReplyTo() != null && m.getReplyTo().startsWith("$JS.ACK.");
                if (delivery && m.getSubject().startsWith("$KV." + Topology.CYCLES_BUCKET + ".")) {
                  (m.getData().length > 0 ? stateDeliveries : headerDeliveries).incrementAndGet();
                }
              });
      watching.subscribe(">");
      census.flush(WAIT);
      Await.until(WAIT, "both indexes loaded", () -> a.loaded() && b.loaded());

      // Written while they follow.
      CycleStore.Versioned running =
          store.create(withId(CycleFixtures.inStatus(Status.QUEUED), "live-1"));
      store.update(running, s -> withId(CycleFixtures.inStatus(Status.EXECUTING), "live-1"));
      store.create(withId(CycleFixtures.inStatus(Status.QUEUED), "live-2"));
      kv.delete(Topology.cycleKey("live-2"));
      // As an older version wrote it: no status header.
      kv.put(
          Topology.cycleKey("old-1"),
          Json.write(withId(CycleFixtures.inStatus(Status.AWAITING_APPROVAL), "old-1")));
      kv.put(Topology.cycleKey("bad-1"), "not a state".getBytes(StandardCharsets.UTF_8));

      Map<Status, Long> expected = new EnumMap<>(Status.class);
      expected.put(Status.QUEUED, 1L);
      expected.put(Status.EXECUTING, 1L);
      expected.put(Status.COMPLETED, 1L);
      Await.until(
          WAIT,
          "both have seen the last write",
          () -> a.ids().orElseThrow().contains("bad-1") && b.ids().orElseThrow().contains("bad-1"));
      Await.until(
          WAIT, "both count the headed writes", () -> counts(a, expected) && counts(b, expected));
      assertEquals(0, a.statusCount(Status.AWAITING_APPROVAL).getAsLong(), "not said, not counted");

      assertEquals(2, a.readMissingStatuses(store, 100));
      assertEquals(2, b.readMissingStatuses(store, 100));
      expected.put(Status.AWAITING_APPROVAL, 1L);
      assertTrue(
          counts(a, expected) && counts(b, expected),
          "the old write read and counted, the unreadable one in no count");
      assertEquals(0, a.readMissingStatuses(store, 100), "read once");

      census.flush(WAIT);
      assertEquals(0, stateDeliveries.get(), "no cycle state was delivered to a follower");
      assertTrue(headerDeliveries.get() >= 2 * 5, "each follower saw each write's headers");
    }
  }

  /** Whether {@code index} counts exactly {@code expected} (zero for every status not in it). */
  private static boolean counts(SettledCycles index, Map<Status, Long> expected) {
    for (Status status : Status.values()) {
      if (index.statusCount(status).orElse(-1) != expected.getOrDefault(status, 0L)) {
        return false;
      }
    }
    return true;
  }

  private static CycleState withId(CycleState state, String cycleId) {
    return state.toBuilder().cycleId(cycleId).build();
  }
}
