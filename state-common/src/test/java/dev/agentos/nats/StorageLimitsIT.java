package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.Phase;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The configured maximum sizes hold for what exists, not only for what is created after them, and a
 * write refused for room is told apart from any other failure.
 */
class StorageLimitsIT {
  private TestNats nats;
  private Connection nc;

  @BeforeEach
  void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
  }

  @AfterEach
  void stop() throws Exception {
    nc.close();
    nats.close();
  }

  private static TopologySettings limits(long streams, long buckets, long artifacts) {
    return new TopologySettings(
        1,
        Duration.ofSeconds(30),
        5,
        100,
        Duration.ofHours(1),
        new TopologySettings.StorageLimits(streams, buckets, artifacts));
  }

  @Test
  void aChangedMaximumSizeIsAppliedToExistingStreamsBucketsAndTheStoreAtTheNextStart()
      throws Exception {
    Topology.ensure(nc, limits(1 << 20, 1 << 20, 4 << 20));
    Topology.ensure(nc, limits(3 << 20, 2 << 20, 5 << 20));

    JetStreamManagement jsm = nc.jetStreamManagement();
    assertEquals(3 << 20, jsm.getStreamInfo(Topology.WORK_STREAM).getConfiguration().getMaxBytes());
    assertEquals(
        3 << 20, jsm.getStreamInfo(Topology.TASKS_STREAM).getConfiguration().getMaxBytes());
    assertEquals(
        2 << 20,
        jsm.getStreamInfo("KV_" + Topology.CYCLES_BUCKET).getConfiguration().getMaxBytes());
    assertEquals(
        5 << 20,
        jsm.getStreamInfo("OBJ_" + Topology.ARTIFACTS_STORE).getConfiguration().getMaxBytes());
    assertEquals(
        Topology.CYCLE_HISTORY,
        nc.keyValueManagement().getStatus(Topology.CYCLES_BUCKET).getMaxHistoryPerKey(),
        "only the size changed");
  }

  @Test
  void aWriteToAFullStreamOrObjectStoreIsStorageFull() throws Exception {
    Topology.ensure(nc, limits(2048, 1 << 20, 2048));
    Exception workFull =
        assertThrows(
            Exception.class,
            () -> nc.jetStream().publish(Topology.workSubject(Phase.PLAN), new byte[3000]));
    assertTrue(JetStreamErrors.storageFull(workFull), workFull.toString());
    Exception storeFull =
        assertThrows(
            Exception.class,
            () -> nc.objectStore(Topology.ARTIFACTS_STORE).put("big", new byte[10_000]));
    assertTrue(JetStreamErrors.storageFull(storeFull), storeFull.toString());
    assertEquals(
        ErrorCode.STORAGE_FULL,
        JetStreamErrors.failure("store artifact big", (Exception) storeFull).code());
    Exception other =
        assertThrows(Exception.class, () -> nc.jetStreamManagement().getStreamInfo("NOPE"));
    assertFalse(JetStreamErrors.storageFull(other), "a missing stream is not a full one");
  }

  @Test
  void aNewCycleIsRefusedWhenTheBucketHasNoRoomLeftForOneAndNoStateIsDropped() throws Exception {
    long max = CycleStore.NEW_CYCLE_ROOM + 4096;
    Topology.ensure(nc, limits(1 << 20, max, 1 << 20));
    CycleStore store = CycleStore.open(nc);
    store.create(CycleFixtures.queued("20261120-100000-aaaaaa", CycleOptions.defaults()));

    List<Exception> refused = new ArrayList<>();
    for (int i = 0; i < 20 && refused.isEmpty(); i++) {
      String id = String.format("20261120-100001-b%05d", i);
      try {
        store.create(CycleFixtures.queued(id, CycleOptions.defaults()));
      } catch (AgentOsException e) {
        refused.add(e);
      }
    }
    assertEquals(1, refused.size(), "a create is refused once the room is gone");
    assertEquals(ErrorCode.STORAGE_FULL, ((AgentOsException) refused.get(0)).code());
    assertTrue(refused.get(0).getMessage().contains(Topology.CYCLES_BUCKET));
    assertTrue(store.get("20261120-100000-aaaaaa").isPresent(), "the first cycle is kept");
  }
}
