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

  /** An ending with a score, a cost and models, in amounts whose sums are exact in binary. */
  private static HistoryRecord scored(
      String cycleId, String project, String instruction, Status status, int score, long minute) {
    return new HistoryRecord(
        cycleId,
        project,
        instruction,
        null,
        status,
        1 + score % 3,
        score,
        null,
        100L * score,
        score / 4.0,
        30 + score,
        1,
        Map.of("executor", "model-" + score % 2, "review", "model-1"),
        T0,
        T0.plusSeconds(60 * minute),
        null,
        null);
  }

  @Test
  void statsFromTheRunningTotalsEqualStatsFromEveryRecord() {
    for (int i = 1; i <= 30; i++) {
      store.record(
          scored(
              "c-" + i,
              i % 3 == 0 ? "blog" : "shop",
              i % 2 == 0 ? "execute-tasks" : "create-spec",
              i % 5 == 0 ? Status.FAILED : i % 7 == 0 ? Status.CANCELLED : Status.COMPLETED,
              40 + i,
              i));
    }
    // A failed cycle resumed and completed later: its record is replaced, and so is its count.
    store.record(scored("c-5", "shop", "create-spec", Status.COMPLETED, 99, 500));
    store.record(scored("c-5", "shop", "create-spec", Status.FAILED, 10, 400)); // older: ignored

    List<HistoryRecord> all = store.list(null, r -> true);
    assertEquals(30, all.size(), "the totals are not records");
    assertEquals(Stats.of(all), store.stats(null));
    assertEquals(Stats.of(store.list("shop", r -> true)), store.stats("shop"));
    assertEquals(Stats.of(List.of()), store.stats("nobody"));
  }

  @Test
  void rebuildingRecomputesTotalsThatMissedEndings() throws Exception {
    for (int i = 1; i <= 10; i++) {
      store.record(scored("r-" + i, "shop", "execute-tasks", Status.COMPLETED, 50 + i, i));
    }
    Stats expected = Stats.of(store.list(null, r -> true));
    assertEquals(expected, store.stats(null));
    // As if the totals missed endings (a service died between a record and its count).
    nc.keyValue(Topology.HISTORY_BUCKET).delete(HistoryStore.STATS_PREFIX + "shop");
    assertEquals(0, store.stats("shop").overall().cycles(), "the totals lost the project");

    assertEquals(expected, store.rebuildStats());
    assertEquals(expected, store.stats(null));
    assertEquals(expected, store.stats("shop"));
  }

  @Test
  void aBucketWrittenBeforeTheTotalsGetsThemAtTheFirstStats() throws Exception {
    KeyValue kv = nc.keyValue(Topology.HISTORY_BUCKET);
    for (int i = 1; i <= 5; i++) {
      HistoryRecord r = scored("o-" + i, "shop", "execute-tasks", Status.COMPLETED, 60 + i, i);
      kv.put(r.key(), dev.agentos.json.Json.write(r)); // as an older version wrote it
    }
    assertEquals(Stats.of(store.list(null, r -> true)), store.stats(null));
    assertEquals(5, store.stats("shop").overall().cycles());
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
        // Every other listing unfiltered: it ends at the same bound, over every project.
        String project = listing % 2 == 0 ? "shop" : null;
        List<String> ids =
            store.list(project, r -> true).stream().map(HistoryRecord::cycleId).toList();
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
