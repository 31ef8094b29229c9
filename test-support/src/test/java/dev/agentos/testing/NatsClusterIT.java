package dev.agentos.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatsClusterIT {
  private static final Duration ELECTION = Duration.ofSeconds(30);

  @Test
  void anR3StreamKeepsItsDataAndElectsANewLeaderWhenItsLeaderIsKilled() throws Exception {
    try (TestNats nats = TestNats.startCluster();
        Connection nc = nats.connect()) {
      NatsCluster cluster = nats.cluster();
      assertEquals(3, nats.url().split(",").length, "clients get every node: " + nats.url());
      NatsCluster.Node meta =
          Await.value(ELECTION, "a meta leader", () -> cluster.metaLeader().orElse(null));
      assertTrue(cluster.nodes().contains(meta));

      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(
          StreamConfiguration.builder()
              .name("FIXTURE")
              .subjects("fixture.>")
              .storageType(StorageType.File)
              .replicas(3)
              .build());
      nc.jetStream().publish("fixture.a", "kept".getBytes(StandardCharsets.UTF_8));
      Await.until(ELECTION, "every replica current", () -> cluster.streamCurrent(nc, "FIXTURE"));
      NatsCluster.Node leader = cluster.streamLeader(nc, "FIXTURE").orElseThrow();

      leader.server().kill();
      NatsCluster.Node next =
          Await.value(
              ELECTION,
              "a new leader of FIXTURE",
              () ->
                  cluster.streamLeader(nc, "FIXTURE").filter(n -> !n.equals(leader)).orElse(null));
      assertNotEquals(leader, next);
      assertArrayEquals(
          "kept".getBytes(StandardCharsets.UTF_8),
          jsm.getLastMessage("FIXTURE", "fixture.a").getData());

      leader.server().restart();
      cluster.awaitHealthy(leader, ELECTION);
      Await.until(
          ELECTION, "the restarted replica current", () -> cluster.streamCurrent(nc, "FIXTURE"));
    }
  }

  @Test
  void aFrozenNodeAnswersNothingUntilThawed() throws Exception {
    try (TestNats nats = TestNats.startCluster()) {
      NatsCluster.Node node = nats.cluster().nodes().get(0);
      node.server().freeze();
      try {
        assertTrue(node.server().isAlive(), "SIGSTOP keeps the process");
        assertEquals(-1, ServiceLaunch.healthStatus(node.monitorPort(), "x"), "it answers nothing");
      } finally {
        node.server().thaw();
      }
      nats.cluster().awaitHealthy(node, ELECTION);
    }
  }
}
