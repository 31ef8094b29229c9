package dev.agentos.bench;

import dev.agentos.nats.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Orchestration overhead: sequential cycles of a three-step plan with an agent that answers at
 * once, from submit to COMPLETED as the KV watch sees it, and what each cycle costs in KV writes,
 * messages and CPU. The services' idle traffic (pull requests waiting for work) is measured first
 * and taken off the per-cycle message counts.
 */
final class OverheadRun {
  private static final int IDLE_SLICES = 5;

  /**
   * @param messagesIn messages each connection sent to the server per cycle, idle traffic taken off
   * @param cpuMillis CPU milliseconds per cycle by process, background work included (a service's
   *     agent commands count to it)
   */
  record Result(
      int cycles,
      Latencies latency,
      double kvWrites,
      double workMessages,
      double events,
      Map<String, Double> messagesIn,
      Map<String, Double> cpuMillis,
      int medianStateBytes,
      double wallSeconds,
      double otherCoresBusy,
      PhaseTimeline timeline) {
    double serviceMessagesIn() {
      return messagesIn.entrySet().stream()
          .filter(e -> e.getKey().endsWith("-service"))
          .mapToDouble(Map.Entry::getValue)
          .sum();
    }
  }

  static Result run(
      LocalCluster cluster,
      Driver driver,
      CycleWatch watch,
      List<String> agent,
      Duration warmup,
      int warmupCycles,
      int n)
      throws InterruptedException {
    // Many cycles in parallel first, so that the services' JIT has compiled the hot paths: C2
    // compilation is otherwise a large share of the CPU of the first minutes.
    driver.load(agent, 20, Duration.ZERO, warmup);
    for (int i = 0; i < warmupCycles; i++) {
      driver.runOne(agent);
    }
    Map<String, Double> idleRates = idleMessageRates(cluster);

    Latencies latency = new Latencies();
    List<Integer> sizes = new ArrayList<>();
    PhaseTimeline timeline = new PhaseTimeline();
    // Sequential: every write the watch sees belongs to the one cycle in flight.
    watch.tap(update -> timeline.written(update.value(), update.atNanos()));
    Counters before = Counters.take(cluster);
    try {
      for (int i = 0; i < n; i++) {
        Driver.CycleRun run = driver.runOne(agent, timeline::submitted);
        timeline.finished();
        latency.add(run.nanos());
        sizes.add(watch.largestValue(run.cycleId()));
      }
    } finally {
      watch.tap(null);
    }
    Counters after = Counters.take(cluster);
    double seconds = after.secondsSince(before);

    Map<String, Double> messages = new TreeMap<>();
    after
        .messagesInDelta(before)
        .forEach(
            (conn, count) -> {
              double idle = idleRates.getOrDefault(conn, 0.0) * seconds;
              messages.put(conn, Math.max(0, count - idle) / n);
            });
    // CPU is not corrected for idle time: JIT, GC and timers are part of what a cycle costs.
    Map<String, Double> cpu = new TreeMap<>();
    after.cpuDelta(before).forEach((process, used) -> cpu.put(process, used * 1000 / n));
    sizes.sort(Integer::compare);
    return new Result(
        n,
        latency,
        after.streamDelta(before, Counters.CYCLES_STREAM) / (double) n,
        after.streamDelta(before, Topology.WORK_STREAM) / (double) n,
        after.streamDelta(before, Topology.EVENTS_STREAM) / (double) n,
        messages,
        cpu,
        sizes.get(sizes.size() / 2),
        seconds,
        after.otherCoresBusy(before),
        timeline);
  }

  /**
   * Messages per second each connection sends while no cycle runs (pull requests waiting for work):
   * the median of one-second slices, so that a reconciler sweep in one slice is not taken for
   * steady background traffic.
   */
  private static Map<String, Double> idleMessageRates(LocalCluster cluster)
      throws InterruptedException {
    Map<String, List<Long>> slices = new TreeMap<>();
    Counters previous = Counters.take(cluster);
    for (int i = 0; i < IDLE_SLICES; i++) {
      Thread.sleep(1000);
      Counters next = Counters.take(cluster);
      double seconds = next.secondsSince(previous);
      next.messagesInDelta(previous)
          .forEach(
              (conn, n) ->
                  slices
                      .computeIfAbsent(conn, c -> new ArrayList<>())
                      .add(Math.round(n / seconds)));
      previous = next;
    }
    Map<String, Double> rates = new TreeMap<>();
    slices.forEach(
        (conn, list) -> {
          list.sort(Long::compare);
          rates.put(conn, (double) list.get(list.size() / 2));
        });
    return rates;
  }
}
