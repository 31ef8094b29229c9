package dev.agentos.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Does a second executor replica double EXECUTE throughput? Each step takes a fixed time, and the
 * executors run one message at a time ({@code agentos.worker.concurrency=1}): otherwise the four
 * threads of one process would already run four cycles at once and hide the replica count. One and
 * two replicas are measured in turns (1, 2, 1, 2, …), so that a change in the machine's other load
 * during the run falls on both sides of the ratio.
 */
final class ScalingRun {
  static final Duration WARMUP = Duration.ofSeconds(5);
  static final String REPLICA = "executor-2";

  record Result(
      Duration stepDelay,
      int inFlight,
      List<Driver.LoadResult> oneExecutor,
      List<Driver.LoadResult> twoExecutors) {
    double onePerSecond() {
      return mean(oneExecutor);
    }

    double twoPerSecond() {
      return mean(twoExecutors);
    }

    double ratio() {
      return twoPerSecond() / onePerSecond();
    }

    private static double mean(List<Driver.LoadResult> runs) {
      return runs.stream().mapToDouble(Driver.LoadResult::perSecond).average().orElse(Double.NaN);
    }
  }

  static Result run(
      LocalCluster cluster,
      Driver driver,
      List<String> delayedAgent,
      Duration stepDelay,
      Duration window,
      int inFlight,
      int rounds) {
    Map<String, String> executorProperties = new LinkedHashMap<>(cluster.properties());
    executorProperties.put("agentos.worker.concurrency", "1");
    cluster.restart("executor", executorProperties);
    List<Driver.LoadResult> one = new ArrayList<>();
    List<Driver.LoadResult> two = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      one.add(driver.load(delayedAgent, inFlight, WARMUP, window));
      cluster.addReplica("executor", REPLICA, executorProperties);
      two.add(driver.load(delayedAgent, inFlight, WARMUP, window));
      if (round < rounds) {
        cluster.removeReplica(REPLICA);
      }
    }
    return new Result(stepDelay, inFlight, one, two);
  }
}
