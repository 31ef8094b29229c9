package dev.agentos.service.observe;

import dev.agentos.concurrent.DaemonThreads;
import dev.agentos.nats.Topology;
import dev.agentos.service.AgentOsRuntime;
import dev.agentos.state.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The gauge {@code agentos_cycles{status}}: how many cycles the {@code agentos-cycles} bucket holds
 * in each status.
 *
 * <p>It is kept by one KV watch rather than by re-reading the bucket on a timer. Finished cycles
 * stay in the bucket, so a periodic scan would read every cycle ever run, every period, in every
 * replica; the watch reads each cycle's latest state once at start and afterwards only the writes
 * that happen anyway, and the gauge is current at every scrape. The cost is a map of cycle id to
 * status in memory (tens of bytes per cycle) and receiving every state write, which is a few per
 * second per running cycle at most.
 *
 * <p>Every service reports the same global counts: aggregate them with {@code max}, not {@code
 * sum}.
 */
@Singleton
public class CycleStatusGauges {
  static final String CYCLES = "agentos.cycles";
  private static final Logger LOG = Logger.getLogger(CycleStatusGauges.class);
  private static final long RETRY_SECONDS = 1;

  private final CycleStatusCounts counts = new CycleStatusCounts();
  private final Connection nc;
  private final AgentOsRuntime runtime;
  private final ScheduledExecutorService starter =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agentos-cycle-gauges"));
  private volatile NatsKeyValueWatchSubscription watch;
  private volatile boolean warned;

  @Inject
  public CycleStatusGauges(MeterRegistry registry, Connection nc, AgentOsRuntime runtime) {
    this.nc = nc;
    this.runtime = runtime;
    register(registry, counts);
  }

  /** Registers one gauge per status, reading {@code counts} at every scrape. */
  static void register(MeterRegistry registry, CycleStatusCounts counts) {
    for (Status status : Status.values()) {
      Gauge.builder(CYCLES, counts, c -> c.count(status))
          .description("Cycles in the agentos-cycles bucket, by status")
          .tag("status", status.name())
          .strongReference(true)
          .register(registry);
    }
  }

  void onStart(@Observes StartupEvent event) {
    // The bucket exists once the runtime has set up the topology, which waits for NATS.
    starter.scheduleWithFixedDelay(this::startWatching, 0, RETRY_SECONDS, TimeUnit.SECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    starter.shutdownNow();
    NatsKeyValueWatchSubscription current = watch;
    if (current != null) {
      current.unsubscribe();
    }
  }

  private void startWatching() {
    if (watch != null || !runtime.isStarted()) {
      return;
    }
    try {
      KeyValue kv = nc.keyValue(Topology.CYCLES_BUCKET);
      watch = kv.watch(Topology.CYCLE_KEY_PREFIX + "*", new Watcher());
      starter.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!warned) {
        warned = true;
        LOG.warnf("cannot watch %s for the cycle gauges yet: %s", Topology.CYCLES_BUCKET, e);
      }
    }
  }

  private final class Watcher implements KeyValueWatcher {
    @Override
    public void watch(KeyValueEntry entry) {
      String cycleId = entry.getKey().substring(Topology.CYCLE_KEY_PREFIX.length());
      if (entry.getOperation() == KeyValueOperation.PUT) {
        counts.put(cycleId, entry.getValue());
      } else {
        counts.remove(cycleId);
      }
    }

    @Override
    public void endOfData() {
      LOG.infof("cycle gauges: %d cycles in %s", counts.size(), Topology.CYCLES_BUCKET);
    }
  }
}
