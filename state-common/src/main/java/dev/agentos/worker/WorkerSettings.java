package dev.agentos.worker;

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
 * @param leaseSkew the margin for clocks that disagree: a holder that could not renew its lease
 *     stops its phase this long before the lease ends, as leader election in Kubernetes gives up at
 *     its renew deadline, so a takeover never meets a still-running agent
 * @param maxPhaseTime how long one run of a phase may take before the worker stops it and gives up
 *     the claim (the phase is retried, up to {@code maxAttempts})
 * @param storageWait how long a claimed phase keeps trying a write refused for room (a full object
 *     store, stream or account) before it pauses the cycle with STORAGE_FULL; the claim and its
 *     heartbeats go on meanwhile, and nothing the phase did is run again
 */
public record WorkerSettings(
    int concurrency,
    Duration ackWait,
    int maxAttempts,
    List<Duration> retryDelays,
    Duration drainTimeout,
    Duration leaseSkew,
    Duration maxPhaseTime,
    Duration storageWait) {

  public static final Duration DEFAULT_STORAGE_WAIT = Duration.ofMinutes(1);

  public WorkerSettings {
    if (storageWait == null || storageWait.isNegative()) {
      throw new IllegalArgumentException(
          "agentos.worker.storage-wait must be a duration of 0 or more, not " + storageWait);
    }
    if (leaseSkew.isNegative() || leaseSkew.compareTo(ackWait.dividedBy(3)) >= 0) {
      throw new IllegalArgumentException(
          "agentos.worker.lease-skew must be at least 0 and less than a third of the ack-wait"
              + " (renewals come every third), not "
              + leaseSkew);
    }
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
        Duration.ofHours(2),
        DEFAULT_STORAGE_WAIT);
  }

  /**
   * How long after its last successful renewal a claim may go on: the lease lasts {@code ackWait},
   * and the holder stops {@code leaseSkew} before that, so that another worker whose clock is ahead
   * by less than the margin never takes over a phase whose agent still runs.
   */
  public Duration renewDeadline() {
    return ackWait.minus(leaseSkew);
  }

  public Duration heartbeatEvery() {
    return ackWait.dividedBy(3);
  }

  public Duration retryDelay(int attempt) {
    return retryDelays.get(Math.min(Math.max(attempt - 1, 0), retryDelays.size() - 1));
  }
}
