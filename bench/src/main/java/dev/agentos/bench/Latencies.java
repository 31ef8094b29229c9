package dev.agentos.bench;

import java.util.Arrays;

/** Durations measured in nanoseconds, and their percentiles (nearest rank). */
final class Latencies {
  private long[] nanos = new long[64];
  private int count;

  synchronized void add(long durationNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = durationNanos;
  }

  synchronized int count() {
    return count;
  }

  /** The {@code q}-quantile (0 < q ≤ 1) in milliseconds; NaN when nothing was measured. */
  synchronized double millis(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * count);
    return sorted[Math.min(Math.max(rank, 1), count) - 1] / 1e6;
  }

  double p50() {
    return millis(0.50);
  }

  double p95() {
    return millis(0.95);
  }

  double p99() {
    return millis(0.99);
  }

  synchronized double maxMillis() {
    return count == 0 ? Double.NaN : Arrays.stream(nanos, 0, count).max().getAsLong() / 1e6;
  }
}
