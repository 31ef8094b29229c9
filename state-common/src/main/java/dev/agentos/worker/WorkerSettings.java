package dev.agentos.worker;

import dev.agentos.state.LeaseTerms;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link PhaseWorker} runs.
 *
 * @param concurrency how many messages of its role one process works on at once
 * @param ackWait the consumer's AckWait; the lease lasts as long, and heartbeats come at a third
 * @param maxAttempts how many times a phase may be started before the cycle fails (MaxDeliver)
 * @param retryDelays the delay before each retry of a failed phase; the last one repeats
 * @param drainTimeout how long a stopping worker lets running phases finish
 * @param leaseSkew how long past its expiry another worker still counts a lease as held, so that
 *     clocks that disagree by less than this never let two workers run one phase
 * @param maxPhaseTime how long one run of a phase may take before the worker stops it and gives up
 *     the claim (the phase is retried, up to {@code maxAttempts})
 */
public record WorkerSettings(
    int concurrency,
    Duration ackWait,
    int maxAttempts,
    List<Duration> retryDelays,
    Duration drainTimeout,
    Duration leaseSkew,
    Duration maxPhaseTime) {

  public WorkerSettings {
    if (maxPhaseTime == null || maxPhaseTime.isZero() || maxPhaseTime.isNegative()) {
      throw new IllegalArgumentException(
          "agentos.worker.max-phase-time must be a positive duration, not " + maxPhaseTime);
    }
    retryDelays = List.copyOf(retryDelays);
    if (retryDelays.isEmpty()) {
      throw new IllegalArgumentException("retryDelays needs at least one delay");
    }
  }

  public static WorkerSettings defaults() {
    return new WorkerSettings(
        4,
        Duration.ofSeconds(30),
        5,
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15)),
        Duration.ofSeconds(20),
        Duration.ofMillis(250),
        Duration.ofHours(2));
  }

  public LeaseTerms leaseTerms() {
    return new LeaseTerms(ackWait, leaseSkew);
  }

  public Duration heartbeatEvery() {
    return ackWait.dividedBy(3);
  }

  public Duration retryDelay(int attempt) {
    return retryDelays.get(Math.min(Math.max(attempt - 1, 0), retryDelays.size() - 1));
  }
}
