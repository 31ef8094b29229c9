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
 */
public record TopologySettings(
    int replicas, Duration ackWait, int maxDeliver, int maxAckPending, Duration eventsMaxAge) {

  public static TopologySettings defaults() {
    return new TopologySettings(1, Duration.ofSeconds(30), 5, 1000, Duration.ofDays(7));
  }
}
