package dev.agentos.bench;

import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Submits cycles and waits for them: one at a time, or as a closed loop with a bound in flight. */
final class Driver {
  static final Duration CYCLE_DEADLINE = Duration.ofSeconds(120);

  private final LocalCluster cluster;
  private final CycleWatch watch;
  private final Workload workload;

  Driver(LocalCluster cluster, CycleWatch watch, Workload workload) {
    this.cluster = cluster;
    this.watch = watch;
    this.workload = workload;
  }

  /** One finished cycle: submit → stopped, as the watch saw it. */
  record CycleRun(String cycleId, Path workspace, long nanos) {}

  /** Runs one cycle to COMPLETED; anything else is an error that says how it ended. */
  CycleRun runOne(List<String> agent) {
    return runOne(agent, at -> {});
  }

  /** The same, telling {@code submitting} the moment just before the submit request goes out. */
  CycleRun runOne(List<String> agent, java.util.function.LongConsumer submitting) {
    String cycleId = workload.nextCycleId();
    Path workspace = workload.newWorkspace();
    CompletableFuture<CycleWatch.Outcome> outcome = watch.outcome(cycleId);
    long started = System.nanoTime();
    submitting.accept(started);
    workload.submit(cycleId, workspace, agent);
    CycleWatch.Outcome end = await(outcome, CYCLE_DEADLINE, "cycle " + cycleId + " to finish");
    requireCompleted(end);
    return new CycleRun(cycleId, workspace, end.atNanos() - started);
  }

  /** What a closed-loop run measured inside its window. */
  record LoadResult(
      Duration window,
      int inFlight,
      int completed,
      int failed,
      Latencies latency,
      List<Double> windowRates,
      Duration bucket,
      Counters before,
      Counters after) {
    double perSecond() {
      return completed / (window.toNanos() / 1e9);
    }
  }

  /**
   * Keeps up to {@code inFlight} cycles running: a new one is submitted as soon as one stops.
   * Counts the cycles that stop within {@code window}, after {@code warmup}; then stops submitting
   * and waits for the rest.
   */
  LoadResult load(List<String> agent, int inFlight, Duration warmup, Duration window) {
    Semaphore slots = new Semaphore(inFlight);
    long from = System.nanoTime() + warmup.toNanos();
    long to = from + window.toNanos();
    Duration bucket =
        window.compareTo(Duration.ofSeconds(30)) >= 0
            ? Duration.ofSeconds(10)
            : Duration.ofSeconds(2);
    int buckets = (int) Math.max(1, window.toNanos() / bucket.toNanos());
    AtomicInteger[] perBucket = new AtomicInteger[buckets];
    for (int i = 0; i < buckets; i++) {
      perBucket[i] = new AtomicInteger();
    }
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Latencies latency = new Latencies();
    Counters before = null;
    Counters after = null;
    while (true) {
      long now = System.nanoTime();
      if (before == null && now >= from) {
        before = Counters.take(cluster);
      }
      if (now >= to) {
        after = Counters.take(cluster);
        break;
      }
      try {
        if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      String cycleId = workload.nextCycleId();
      Path workspace = workload.newWorkspace();
      long submitted = System.nanoTime();
      watch
          .outcome(cycleId)
          .thenAccept(
              end -> {
                slots.release();
                watch.forget(cycleId);
                if (end.atNanos() < from || end.atNanos() >= to) {
                  return;
                }
                if (end.completed()) {
                  completed.incrementAndGet();
                  latency.add(end.atNanos() - submitted);
                  perBucket[(int) Math.min(buckets - 1, (end.atNanos() - from) / bucket.toNanos())]
                      .incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  failures.add(cycleId + " " + end.status());
                }
              });
      workload.submit(cycleId, workspace, agent);
    }
    Await.until(
        CYCLE_DEADLINE,
        "the cycles still in flight to finish (logs: " + cluster.logDir() + ")",
        () -> slots.availablePermits() == inFlight);
    if (!failures.isEmpty()) {
      System.err.println("bench: cycles that did not complete: " + failures);
    }
    List<Double> rates = new ArrayList<>();
    for (AtomicInteger n : perBucket) {
      rates.add(n.get() / (bucket.toNanos() / 1e9));
    }
    return new LoadResult(
        window, inFlight, completed.get(), failed.get(), latency, rates, bucket, before, after);
  }

  /** The cycle's state now, to explain how it ended. */
  CycleState state(String cycleId) {
    try {
      return CycleStore.open(cluster.nc()).require(cycleId);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read cycle " + cycleId, e);
    }
  }

  private void requireCompleted(CycleWatch.Outcome end) {
    if (!end.completed()) {
      CycleState s = state(end.cycleId());
      throw new IllegalStateException(
          "cycle "
              + end.cycleId()
              + " ended "
              + end.status()
              + (s.error() == null ? "" : ": " + s.error())
              + " (logs: "
              + cluster.logDir()
              + ")");
    }
  }

  static <T> T await(CompletableFuture<T> future, Duration deadline, String what) {
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + deadline + " waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }
}
