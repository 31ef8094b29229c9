package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.Transitions;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One cycle at a time per local working tree, on a real JetStream KV. */
class WorkspaceLocksIT {
  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;

  @BeforeAll
  static void startNats() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(nc, TopologySettings.defaults());
    store = CycleStore.open(nc);
  }

  @AfterAll
  static void stopNats() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void aLiveHolderKeepsTheTreeAndAnEndedOneLosesIt() {
    store.create(CycleFixtures.queued("lock-a", CycleOptions.defaults()));
    store.create(CycleFixtures.queued("lock-b", CycleOptions.defaults()));
    assertEquals(Optional.empty(), store.lockWorkspace("/repos/one", "lock-a"));
    assertEquals(Optional.empty(), store.lockWorkspace("/repos/one", "lock-a"), "its own lock");
    assertEquals(Optional.of("lock-a"), store.lockWorkspace("/repos/one", "lock-b"));
    assertEquals(Optional.empty(), store.lockWorkspace("/repos/two", "lock-b"), "another tree");

    store.update("lock-a", s -> Transitions.cancel(s, CycleFixtures.T0));
    assertEquals(Optional.empty(), store.lockWorkspace("/repos/one", "lock-b"));
    assertEquals(Optional.of("lock-b"), store.lockWorkspace("/repos/one", "lock-c"));

    assertEquals(Optional.empty(), store.lockWorkspace("/repos/three", "never-created"));
    assertEquals(
        Optional.empty(),
        store.lockWorkspace("/repos/three", "lock-b"),
        "a holder that was never created does not keep the tree");
  }

  @Test
  void ofManySubmitsRacingForOneTreeExactlyOneWins() throws Exception {
    List<String> ids = List.of("race-1", "race-2", "race-3", "race-4", "race-5", "race-6");
    for (String id : ids) {
      store.create(CycleFixtures.queued(id, CycleOptions.defaults()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(ids.size());
    try {
      List<Future<Optional<String>>> results =
          ids.stream()
              .map(id -> pool.submit(() -> store.lockWorkspace("/repos/race", id)))
              .toList();
      int won = 0;
      for (Future<Optional<String>> result : results) {
        if (result.get().isEmpty()) {
          won++;
        } else {
          assertTrue(ids.contains(result.get().get()));
        }
      }
      assertEquals(1, won);
    } finally {
      pool.shutdownNow();
    }
  }
}
