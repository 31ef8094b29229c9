package dev.agentos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic and parsing the report rests on; the bench itself runs only from bin/bench. */
class BenchMathTest {

  @Test
  void percentilesUseTheNearestRank() {
    Latencies latencies = new Latencies();
    for (int ms = 100; ms >= 1; ms--) {
      latencies.add(ms * 1_000_000L);
    }
    assertEquals(50.0, latencies.p50());
    assertEquals(95.0, latencies.p95());
    assertEquals(99.0, latencies.p99());
    assertEquals(100.0, latencies.maxMillis());
    assertTrue(Double.isNaN(new Latencies().p50()));
  }

  @Test
  void readsOnlyTheTopLevelStatusOfAState() {
    byte[] state =
        ("{\"cycle_id\":\"c1\",\"iterations\":[{\"execution\":{\"steps\":[{\"status\":\"COMPLETED\"}]}}],"
                + "\"status\":\"EXECUTING\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals("EXECUTING", CycleWatch.topLevelStatus(state));
    assertNull(CycleWatch.topLevelStatus("not json".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void tellsKvReadsWritesAndDeliveriesApart() {
    assertEquals(
        "KV read: cycle state",
        MessageCensus.kind(
            "$JS.API.DIRECT.GET.KV_agentos-cycles.$KV.agentos-cycles.cycle.c1", false));
    assertEquals("KV write: cycle state", MessageCensus.kind("$KV.agentos-cycles.cycle.c1", false));
    assertEquals(
        "delivery: cycle state (KV watches, key listings)",
        MessageCensus.kind("$KV.agentos-cycles.cycle.c1", true));
    assertEquals(
        "pull request (fetch work)",
        MessageCensus.kind("$JS.API.CONSUMER.MSG.NEXT.AGENTOS_WORK.executor", false));
    assertEquals("work hand-off (publish)", MessageCensus.kind("agentos.work.execute", false));
  }

  @Test
  void quickModeShortensEveryScenarioAndOptionsAreChecked() {
    BenchOptions quick = BenchOptions.parse(new String[] {"--quick"}, Path.of("."));
    BenchOptions full = BenchOptions.parse(new String[0], Path.of("."));
    assertTrue(quick.overheadCycles() < full.overheadCycles());
    assertTrue(quick.throughputWindow().compareTo(full.throughputWindow()) < 0);
    assertEquals(200, full.overheadCycles());
    assertEquals(5, full.kills());
    assertTrue(full.runs("kills"));
    BenchOptions only = BenchOptions.parse(new String[] {"--only", "overhead,floor"}, Path.of("."));
    assertTrue(only.runs("floor") && !only.runs("kills"));
    assertFalse(full.runs("storage"), "it fills the disk: on request only");
    assertFalse(full.natsCluster());
    BenchOptions storage =
        BenchOptions.parse(new String[] {"--only", "storage", "--cluster"}, Path.of("."));
    assertTrue(storage.runs("storage") && storage.natsCluster());
    assertEquals(100_000, storage.storageCycles());
    assertEquals(1_000_000, storage.storageHistory());
    assertEquals(10_000, quick.storageCycles());
    assertEquals(ServiceJvm.DEPLOYED, full.serviceJvm().options(), "as agentos up runs them");
    assertEquals(
        List.of(),
        BenchOptions.parse(new String[] {"--default-jit"}, Path.of(".")).serviceJvm().options());
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--cycles", "0"}, Path.of(".")));
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--jfr", "nobody"}, Path.of(".")));
    assertTrue(full.peer().isEmpty(), "the peer runs only when asked for");
    assertEquals(
        "restate",
        BenchOptions.parse(new String[] {"--peer", "restate"}, Path.of(".")).peer().orElseThrow());
    assertThrows(
        BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--peer", "temporal"}, Path.of(".")));
  }

  @Test
  void sideBySideLeavesTheBenchsOwnDriverOutOfAgentOsCpu() {
    assertEquals(
        30.0,
        PeerReport.servicesCpu(
            java.util.Map.of("agentos-bench", 12.0, "nats-server", 10.0, "executor", 20.0)),
        1e-9);
  }
}
