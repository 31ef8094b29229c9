package dev.agentos.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer measured the way Agent OS is, right after it in the same run: a parallel warm-up, then
 * sequential cycles for the overhead percentiles and the CPU per cycle, then a closed loop with the
 * same number in flight for the sustained rate.
 */
final class PeerRun {
  /** The peer's figures for one agent mode ({@code spawn}: the stand-in agent per step). */
  record Result(
      String mode,
      Latencies overhead,
      Map<String, Double> cpuMillisPerCycle,
      double perSecond,
      Latencies loadLatency,
      int inFlight,
      Duration window) {
    double cpuMillis() {
      return cpuMillisPerCycle.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  /** Steps that spawn the stand-in agent, then trivial steps: pure orchestration. */
  static final List<String> MODES = List.of("spawn", "noop");

  private static final AtomicLong IDS = new AtomicLong();

  private PeerRun() {}

  static Result run(RestatePeer peer, String mode, BenchOptions options) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    load(peer, mode, run, 20, Duration.ZERO, options.warmup());
    for (int i = 0; i < options.warmupCycles(); i++) {
      peer.runOne(id(run), mode);
    }
    Latencies overhead = new Latencies();
    Map<String, Double> before = peer.cpuSeconds();
    for (int i = 0; i < options.overheadCycles(); i++) {
      overhead.add(peer.runOne(id(run), mode));
    }
    Map<String, Double> after = peer.cpuSeconds();
    Map<String, Double> cpu = new TreeMap<>();
    after.forEach(
        (process, seconds) ->
            cpu.put(process, (seconds - before.get(process)) * 1000 / options.overheadCycles()));
    Load load =
        load(
            peer,
            mode,
            run,
            options.inFlight(),
            Duration.ofSeconds(options.quick() ? 2 : 5),
            options.throughputWindow());
    return new Result(
        mode,
        overhead,
        cpu,
        load.completed / (options.throughputWindow().toNanos() / 1e9),
        load.latency,
        options.inFlight(),
        options.throughputWindow());
  }

  private record Load(int completed, Latencies latency) {}

  /**
   * Keeps {@code inFlight} cycles running (one caller each) and counts those that end within the
   * window after the warm-up, as {@link Driver#load} does for Agent OS.
   */
  private static Load load(
      RestatePeer peer, String mode, String run, int inFlight, Duration warmup, Duration window)
      throws Exception {
    long from = System.nanoTime() + warmup.toNanos();
    long to = from + window.toNanos();
    AtomicInteger completed = new AtomicInteger();
    Latencies latency = new Latencies();
    ExecutorService callers = Executors.newFixedThreadPool(inFlight);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < inFlight; i++) {
        running.add(
            callers.submit(
                () -> {
                  while (System.nanoTime() < to) {
                    long nanos = peer.runOne(id(run), mode);
                    long end = System.nanoTime();
                    if (end >= from && end < to) {
                      completed.incrementAndGet();
                      latency.add(nanos);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> caller : running) {
        caller.get();
      }
    } finally {
      callers.shutdownNow();
    }
    return new Load(completed.get(), latency);
  }

  private static String id(String run) {
    return "bench-" + run + "-" + IDS.incrementAndGet();
  }
}
