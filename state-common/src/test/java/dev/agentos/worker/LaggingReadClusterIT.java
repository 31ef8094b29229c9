package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.state.Workspace;
import dev.agentos.testing.Await;
import dev.agentos.testing.NatsCluster;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's pattern on a real three-node cluster with R3 buckets: cycles are created and handed
 * off through the leader of the cycles bucket, and the planner reads them through a follower's
 * server, a few milliseconds later. Every hand-off must run its phase at its first delivery, a
 * replica that lags or not.
 */
class LaggingReadClusterIT {
  private static final Logger LOG = Logger.getLogger(LaggingReadClusterIT.class);
  private static final Duration ELECTION = Duration.ofSeconds(30);
  private static final int CYCLES = 100;

  @TempDir Path workspace;

  @Test
  void everyHandOffRunsAtItsFirstDeliveryOnAFollower() throws Exception {
    try (TestNats nats = TestNats.startCluster();
        Connection admin = nats.connect()) {
      NatsCluster cluster = nats.cluster();
      Await.value(ELECTION, "a meta leader", () -> cluster.metaLeader().orElse(null));
      Topology.ensure(
          admin, new TopologySettings(3, Duration.ofSeconds(30), 5, 1000, Duration.ofHours(1)));
      String stream = "KV_" + Topology.CYCLES_BUCKET;
      Await.until(ELECTION, "every replica current", () -> cluster.streamCurrent(admin, stream));
      NatsCluster.Node leader = cluster.streamLeader(admin, stream).orElseThrow();
      NatsCluster.Node follower = cluster.others(leader).get(0);

      AtomicInteger leaderReads = new AtomicInteger();
      admin
          .createDispatcher(msg -> leaderReads.incrementAndGet())
          .subscribe("$JS.API.STREAM.MSG.GET." + stream);
      CountingPlanner planner = new CountingPlanner();
      try (Connection atLeader = Nats.connect(leader.url());
          Connection atFollower = Nats.connect(follower.url());
          PhaseWorker worker =
              planner.worker(atFollower, CycleStore.open(atFollower), Duration.ofSeconds(30), 8)) {
        worker.start();
        CycleStore store = CycleStore.open(atLeader);
        Handoff handoff = Handoff.unrestricted(atLeader);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++) {
          String id = String.format("20261207-120000-c%03d", i);
          CycleState queued =
              CycleFixtures.queued().toBuilder()
                  .cycleId(id)
                  .workspace(Workspace.atPath(workspace.toString()))
                  .build();
          handoff.publish(store.create(queued).state());
          ids.add(id);
        }
        Await.until(
            Duration.ofSeconds(120),
            "every cycle planned",
            () -> ids.stream().allMatch(id -> store.require(id).status() == Status.EXECUTING));

        Map<String, Long> redelivered = new TreeMap<>(planner.claimedAt);
        redelivered.values().removeIf(delivery -> delivery == 1);
        assertEquals(Map.of(), redelivered, "claims made after the first delivery");
        assertEquals(CYCLES, planner.runs.get(), "each PLAN ran once");
        LOG.infof(
            "%d cycles planned; %d claims were about to drop their work and asked the leader",
            CYCLES, leaderReads.get());
      }
    }
  }
}
