package dev.agentos.service.observe;

import dev.agentos.service.AgentOsRuntime;
import dev.agentos.state.Phase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * How much work waits, per role, and how many work messages were parked in the dead-letter stream,
 * per phase: the gauges a dashboard and an alert need next to the cycle counts. Read from NATS at
 * scrape time (at most every few seconds, see {@link NatsQueueReadings}).
 *
 * <p>Every service reports the same global values: aggregate them with {@code max}, not {@code
 * sum}.
 */
@Startup
@Singleton
public class WorkQueueGauges {
  static final String QUEUE_DEPTH = "agentos.queue.depth";
  static final String DEAD_LETTERS = "agentos.dlq.messages";

  @Inject
  public WorkQueueGauges(MeterRegistry registry, Connection nc, AgentOsRuntime runtime) {
    register(registry, new NatsQueueReadings(nc, runtime::isStarted, Clock.systemUTC()));
  }

  /** Registers one depth gauge per role and one dead-letter gauge per phase. */
  static void register(MeterRegistry registry, QueueReadings readings) {
    for (Phase phase : Phase.values()) {
      Gauge.builder(QUEUE_DEPTH, readings, r -> r.queueDepth(phase))
          .description(
              "Work messages of the role's consumer not yet delivered or not yet acknowledged")
          .tag("role", phase.role())
          .strongReference(true)
          .register(registry);
      Gauge.builder(DEAD_LETTERS, readings, r -> r.deadLetters(phase))
          .description("Work messages of the phase parked in the dead-letter stream AGENTOS_DLQ")
          .tag("phase", phase.token())
          .strongReference(true)
          .register(registry);
    }
  }

  /** What the gauges read; NaN when it is not known (NATS away, topology not set up yet). */
  interface QueueReadings {
    double queueDepth(Phase phase);

    double deadLetters(Phase phase);
  }
}
