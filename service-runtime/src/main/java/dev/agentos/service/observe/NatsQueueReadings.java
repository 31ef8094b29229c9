package dev.agentos.service.observe;

import dev.agentos.nats.Topology;
import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The queue depths and dead-letter counts, read from JetStream at most once per {@link #MAX_AGE}: a
 * scrape reads all eight gauges, and several Prometheus servers may scrape, yet NATS sees five
 * small requests per period at most.
 */
final class NatsQueueReadings implements WorkQueueGauges.QueueReadings {
  static final Duration MAX_AGE = Duration.ofSeconds(5);
  private static final Logger LOG = Logger.getLogger(NatsQueueReadings.class);

  /** One reading of every gauge. */
  private record Snapshot(Instant at, Map<Phase, Double> depth, Map<Phase, Double> deadLetters) {}

  private final Connection nc;
  private final BooleanSupplier ready;
  private final Clock clock;
  private Snapshot last;
  private boolean warned;

  NatsQueueReadings(Connection nc, BooleanSupplier ready, Clock clock) {
    this.nc = nc;
    this.ready = ready;
    this.clock = clock;
  }

  @Override
  public double queueDepth(Phase phase) {
    return snapshot().depth().getOrDefault(phase, Double.NaN);
  }

  @Override
  public double deadLetters(Phase phase) {
    return snapshot().deadLetters().getOrDefault(phase, Double.NaN);
  }

  private synchronized Snapshot snapshot() {
    Instant now = clock.instant();
    if (last == null || Duration.between(last.at(), now).compareTo(MAX_AGE) >= 0) {
      last = read(now);
    }
    return last;
  }

  private Snapshot read(Instant now) {
    Map<Phase, Double> depth = new EnumMap<>(Phase.class);
    Map<Phase, Double> deadLetters = new EnumMap<>(Phase.class);
    if (!ready.getAsBoolean() || nc.getStatus() != Connection.Status.CONNECTED) {
      return new Snapshot(now, depth, deadLetters);
    }
    try {
      JetStreamManagement jsm = nc.jetStreamManagement();
      for (Phase phase : Phase.values()) {
        ConsumerInfo info = jsm.getConsumerInfo(Topology.WORK_STREAM, Topology.consumer(phase));
        // The same lag KEDA scales on: waiting plus delivered but not yet acknowledged.
        depth.put(phase, (double) (info.getNumPending() + info.getNumAckPending()));
        deadLetters.put(phase, 0.0);
      }
      List<Subject> parked =
          jsm.getStreamInfo(
                  Topology.DLQ_STREAM, StreamInfoOptions.filterSubjects(Topology.DLQ_PREFIX + ">"))
              .getStreamState()
              .getSubjects();
      for (Phase phase : Phase.values()) {
        String subject = Topology.dlqSubject(phase);
        (parked == null ? List.<Subject>of() : parked)
            .stream()
                .filter(s -> s.getName().equals(subject))
                .findFirst()
                .ifPresent(s -> deadLetters.put(phase, (double) s.getCount()));
      }
      warned = false;
    } catch (Exception e) {
      if (!warned) {
        warned = true;
        LOG.warnf("cannot read the work queue gauges: %s", e.getMessage());
      }
      depth.clear();
      deadLetters.clear();
    }
    return new Snapshot(now, depth, deadLetters);
  }
}
