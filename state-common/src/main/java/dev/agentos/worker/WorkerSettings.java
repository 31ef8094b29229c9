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
 * @param maxPhaseTime how long one phase may run before the worker gives up its claim (interrupts
 *     the phase, which kills its child processes) so that the cycle can be retried or failed
 */
public record WorkerSettings(
    int concurrency,
    Duration ackWait,
    int maxAttempts,
    List<Duration> retryDelays,
    Duration drainTimeout,
    Duration maxPhaseTime) {

  /** Longer than the default agent timeout (10 minutes) times the steps a plan usually has. */
  public static final Duration DEFAULT_MAX_PHASE_TIME = Duration.ofHours(2);

  public WorkerSettings {
    if (maxPhaseTime == null || maxPhaseTime.isZero() || maxPhaseTime.isNegative()) {
      throw new IllegalArgumentException(
          "agentos.worker.max-phase-time must be a positive duration, not " + maxPhaseTime);
    }
  }

  /** The settings before {@code maxPhaseTime} existed, with its default. */
  public WorkerSettings(
      int concurrency,
      Duration ackWait,
      int maxAttempts,
      List<Duration> retryDelays,
      Duration drainTimeout) {
    this(concurrency, ackWait, maxAttempts, retryDelays, drainTimeout, DEFAULT_MAX_PHASE_TIME);
  }

  public static WorkerSettings defaults() {
    return new WorkerSettings(
        4,
        Duration.ofSeconds(30),
        5,
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15)),
        Duration.ofSeconds(20),
        DEFAULT_MAX_PHASE_TIME);
  }

  public Duration heartbeatEvery() {
    return ackWait.dividedBy(3);
  }

  public Duration retryDelay(int attempt) {
    return retryDelays.get(Math.min(Math.max(attempt - 1, 0), retryDelays.size() - 1));
  }
}
