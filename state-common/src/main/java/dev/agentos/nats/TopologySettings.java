package dev.agentos.nats;

import java.time.Duration;

/**
 * The tunable parts of the topology.
 *
 * @param replicas JetStream replicas for every stream, bucket and store (1 in dev, 3 in prod)
 * @param ackWait how long a work message may go without an {@code inProgress()} before redelivery
 * @param maxDeliver how many times a work message is delivered before its cycle fails
 * @param maxAckPending how many work messages of one role may be in flight across all replicas
 * @param eventsMaxAge how long lifecycle events are kept
 * @param limits the most bytes each stream, bucket and the object store may hold
 */
public record TopologySettings(
    int replicas,
    Duration ackWait,
    int maxDeliver,
    int maxAckPending,
    Duration eventsMaxAge,
    StorageLimits limits) {

  public TopologySettings(
      int replicas, Duration ackWait, int maxDeliver, int maxAckPending, Duration eventsMaxAge) {
    this(replicas, ackWait, maxDeliver, maxAckPending, eventsMaxAge, StorageLimits.defaults());
  }

  public static TopologySettings defaults() {
    return new TopologySettings(1, Duration.ofSeconds(30), 5, 1000, Duration.ofDays(7));
  }

  /**
   * Nothing unbounded: every stream and KV bucket holds at most {@code streamBytes} / {@code
   * bucketBytes}, the artifact store {@code artifactBytes}. A full work queue, intake, bucket or
   * store refuses new writes (STORAGE_FULL) rather than dropping what it holds; the events stream,
   * a log, drops its oldest events.
   */
  public record StorageLimits(long streamBytes, long bucketBytes, long artifactBytes) {
    public static final long GIB = 1024L * 1024 * 1024;

    public static StorageLimits defaults() {
      return new StorageLimits(GIB / 4, GIB / 4, 2 * GIB);
    }
  }
}
