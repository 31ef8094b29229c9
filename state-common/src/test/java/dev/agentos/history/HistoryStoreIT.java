package dev.agentos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.Status;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history bucket against a real nats-server: recording endings and listing them. */
class HistoryStoreIT {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private TestNats nats;
  private Connection nc;
  private HistoryStore store;

  @BeforeEach
  void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(
        nc, new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1)));
    store = HistoryStore.open(nc);
  }

  @AfterEach
  void stop() throws Exception {
    nc.close();
    nats.close();
  }

  private static HistoryRecord ended(String cycleId, String project, Status status, long minute) {
    return new HistoryRecord(
        cycleId,
        project,
        "execute-tasks",
        null,
        status,
        1,
        null,
        null,
        0,
        0,
        60,
        1,
        Map.of(),
        T0,
        T0.plusSeconds(60 * minute),
        null,
        null);
  }

  @Test
  void anEmptyBucketListsNothing() {
    assertEquals(List.of(), store.list(null, r -> true));
  }

  @Test
  void listsEveryProjectsOrOneProjectsRecordsNewestFirstThroughTheFilter() {
    for (int i = 1; i <= 40; i++) {
      store.record(ended("shop-" + i, "shop", i % 4 == 0 ? Status.FAILED : Status.COMPLETED, i));
    }
    store.record(ended("blog-1", "blog", Status.COMPLETED, 100));

    List<HistoryRecord> all = store.list(null, r -> true);
    assertEquals(41, all.size());
    assertEquals("blog-1", all.get(0).cycleId(), "newest first");
    assertEquals("shop-40", all.get(1).cycleId());
    assertEquals("shop-1", all.get(40).cycleId());

    List<HistoryRecord> failedShop = store.list("shop", r -> r.status() == Status.FAILED);
    assertEquals(10, failedShop.size());
    assertTrue(failedShop.stream().allMatch(r -> r.project().equals("shop")));
    assertEquals("shop-40", failedShop.get(0).cycleId());
  }

  @Test
  void aLaterEndingReplacesTheRecordAndAnEarlierOneDoesNot() {
    assertTrue(store.record(ended("c-1", "shop", Status.FAILED, 1)));
    assertTrue(store.record(ended("c-1", "shop", Status.COMPLETED, 5)), "resumed, ended again");
    assertFalse(store.record(ended("c-1", "shop", Status.FAILED, 1)), "a stale ending is ignored");

    List<HistoryRecord> listed = store.list("shop", r -> true);
    assertEquals(1, listed.size(), "one record per cycle: " + listed);
    assertEquals(Status.COMPLETED, listed.get(0).status());
    assertTrue(store.hasEnding("shop", "c-1", T0.plusSeconds(300)));
  }

  @Test
  void listsEachCycleOnceWhileEndingsAreRecorded() throws Exception {
    for (int i = 0; i < 200; i++) {
      store.record(ended("c-" + i, "shop", Status.FAILED, 1));
    }
    // Resumed cycles ending again while the listing runs: each must still be listed once. A few
    // keys written over and over make a replaced, not yet listed value likely in every listing.
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              for (int round = 2; writing.get(); round++) {
                for (int i = 0; i < 10 && writing.get(); i++) {
                  store.record(ended("c-" + i, "shop", Status.COMPLETED, round));
                }
              }
            });
    writer.start();
    try {
      for (int listing = 0; listing < 100; listing++) {
        List<String> ids =
            store.list("shop", r -> true).stream().map(HistoryRecord::cycleId).toList();
        assertEquals(200, ids.size(), "every cycle once");
        assertEquals(200, new HashSet<>(ids).size(), "no cycle twice");
      }
    } finally {
      writing.set(false);
      writer.join();
    }
  }

  @Test
  void anUnreadableValueIsSkippedAndTheOthersAreListed() throws Exception {
    store.record(ended("c-1", "shop", Status.COMPLETED, 1));
    KeyValue kv = nc.keyValue(Topology.HISTORY_BUCKET);
    kv.put("shop.by-hand", "not a record".getBytes(StandardCharsets.UTF_8));
    store.record(ended("c-2", "shop", Status.COMPLETED, 2));

    List<HistoryRecord> listed = store.list("shop", r -> true);
    assertEquals(List.of("c-2", "c-1"), listed.stream().map(HistoryRecord::cycleId).toList());
  }
}
