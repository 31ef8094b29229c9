package dev.agentos.bench;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import io.nats.client.api.KeyValueEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * How large a cycle's state gets when the agent is talkative: every step answers with a 1 MiB
 * transcript, which must go to the object store while the state keeps a reference.
 */
final class StateSizeRun {
  static final int LIMIT_BYTES = 64 * 1024;

  /**
   * @param largestBytes the largest value written for the cycle (the watch sees every revision)
   * @param transcripts the artifact sizes the state refers to, one per step
   */
  record Result(int largestBytes, int finalBytes, List<Long> transcripts) {}

  static Result run(LocalCluster cluster, Driver driver, CycleWatch watch, List<String> bigAgent)
      throws Exception {
    Driver.CycleRun run = driver.runOne(bigAgent);
    KeyValueEntry entry =
        cluster.nc().keyValue(Topology.CYCLES_BUCKET).get(Topology.cycleKey(run.cycleId()));
    CycleState state = CycleStore.decode(entry.getValue());
    List<Long> transcripts = new ArrayList<>();
    for (StepRecord step : state.currentIteration().executionOrEmpty().steps()) {
      transcripts.add(step.artifact() == null ? 0L : step.artifact().size());
    }
    return new Result(
        Math.max(watch.largestValue(run.cycleId()), entry.getValue().length),
        entry.getValue().length,
        transcripts);
  }
}
