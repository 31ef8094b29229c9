package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologyResource;
import dev.agentos.nats.TopologySettings;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code agentos doctor} checks exactly what {@link Topology#ensure} creates: take any one resource
 * away and the topology check fails naming it.
 */
class DoctorTopologyIT {
  private static TestNats nats;
  private static Connection nc;

  @BeforeAll
  static void start() {
    nats = TestNats.start();
    nc = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    nc.close();
    nats.close();
  }

  @BeforeEach
  void ensure() throws Exception {
    Topology.ensure(nc, TopologySettings.defaults());
  }

  @Test
  void passesWhenEveryResourceExists() {
    DoctorCheck check = Doctor.topology(nc);

    assertEquals(DoctorCheck.Level.OK, check.level(), check.detail());
    assertEquals(
        "all present: 5 streams, 9 consumers, 6 KV buckets, 1 object store", check.detail());
  }

  @Test
  void theListHasWhatAnOlderCopyOfItMissed() {
    Set<String> described =
        Topology.resources().stream().map(TopologyResource::describe).collect(Collectors.toSet());

    assertTrue(
        described.containsAll(
            List.of(
                "stream AGENTOS_ADVISORIES",
                "KV bucket agentos-instructions",
                "KV bucket agentos-history",
                "consumer intake of AGENTOS_TASKS",
                "consumer planner-max-deliveries of AGENTOS_ADVISORIES")),
        described.toString());
  }

  @Test
  void failsNamingEachResourceThatIsGone() throws Exception {
    for (TopologyResource resource : Topology.resources()) {
      delete(resource);

      DoctorCheck check = Doctor.topology(nc);

      assertEquals(DoctorCheck.Level.FAIL, check.level(), resource + ": " + check.detail());
      assertTrue(
          check.detail().contains(resource.describe()),
          resource.describe() + " not named in: " + check.detail());
      assertTrue(check.fix().contains("agentos up"), check.fix());
      Topology.ensure(nc, TopologySettings.defaults());
      assertEquals(DoctorCheck.Level.OK, Doctor.topology(nc).level(), "recreated " + resource);
    }
  }

  private static void delete(TopologyResource resource) throws Exception {
    if (resource instanceof TopologyResource.Stream stream) {
      nc.jetStreamManagement().deleteStream(stream.name());
    } else if (resource instanceof TopologyResource.Consumer consumer) {
      nc.jetStreamManagement().deleteConsumer(consumer.stream(), consumer.name());
    } else if (resource instanceof TopologyResource.KvBucket bucket) {
      nc.keyValueManagement().delete(bucket.name());
    } else {
      nc.objectStoreManagement().delete(resource.name());
    }
  }
}
