package dev.agentos.service.observe;

import dev.agentos.concurrent.Periodic;
import dev.agentos.nats.SettledCycles;
import dev.agentos.service.AgentOsRuntime;
import dev.agentos.state.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The gauge {@code agentos_cycles{status}}: how many cycles the {@code agentos-cycles} bucket holds
 * in each status.
 *
 * <p>Read from the index of the bucket's keys that every service follows anyway for its reconciler
 * ({@link SettledCycles}): each cycle write says its status in a header, which that headers-only
 * consumer receives, so the counts cost no message of their own. (They were kept by a KV watch of
 * every cycle state in every pod: 4 × 13 full deliveries per cycle with one replica per role.) A
 * cycle last written by an older version, whose write says no status, is read once, {@link
 * #MISSING_EVERY} apart, at most {@link #MISSING_PER_RUN} at a time. NaN until the index is loaded.
 *
 * <p>Every service reports the same global counts: aggregate them with {@code max}, not {@code
 * sum}.
 */
@Singleton
public class CycleStatusGauges {
  static final String CYCLES = "agentos.cycles";
  static final Duration MISSING_EVERY = Duration.ofSeconds(5);
  static final int MISSING_PER_RUN = 100;
  private static final Logger LOG = Logger.getLogger(CycleStatusGauges.class);

  private final AgentOsRuntime runtime;
  private volatile Periodic missing;

  @Inject
  public CycleStatusGauges(MeterRegistry registry, AgentOsRuntime runtime) {
    this.runtime = runtime;
    register(registry, status -> count(runtime.cycleIndex(), status));
  }

  /** Registers one gauge per status, reading {@code counts} at every scrape. */
  static void register(MeterRegistry registry, ToDoubleFunction<Status> counts) {
    for (Status status : Status.values()) {
      Gauge.builder(CYCLES, counts, c -> c.applyAsDouble(status))
          .description("Cycles in the agentos-cycles bucket, by status")
          .tag("status", status.name())
          .strongReference(true)
          .register(registry);
    }
  }

  static double count(Optional<SettledCycles> index, Status status) {
    OptionalLong count = index.map(i -> i.statusCount(status)).orElse(OptionalLong.empty());
    return count.isPresent() ? count.getAsLong() : Double.NaN;
  }

  void onStart(@Observes StartupEvent event) {
    missing =
        Periodic.start(
            "agentos-cycle-gauges",
            MISSING_EVERY,
            this::readMissingStatuses,
            e -> LOG.warnf("cannot read the statuses the cycle gauges miss: %s", e.getMessage()));
  }

  void onStop(@Observes ShutdownEvent event) {
    Periodic current = missing;
    if (current != null) {
      current.close();
    }
  }

  private void readMissingStatuses() {
    runtime
        .cycleIndex()
        .filter(SettledCycles::loaded)
        .ifPresent(
            index -> runtime.store().ifPresent(s -> index.readMissingStatuses(s, MISSING_PER_RUN)));
  }
}
