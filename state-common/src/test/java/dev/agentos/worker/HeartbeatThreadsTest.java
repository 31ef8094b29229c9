package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatThreadsTest {
  @ParameterizedTest(name = "{0} slots renew on {1} heartbeat thread(s)")
  @CsvSource({"1, 1", "4, 1", "128, 1", "129, 2", "500, 4", "2050, 16", "100000, 16"})
  void oneHeartbeatThreadPer128SlotsUpToSixteen(int concurrency, int threads) {
    assertEquals(threads, PhaseWorker.heartbeatThreads(concurrency));
  }
}
