package dev.agentos.e2e;

import dev.agentos.testing.ServiceLaunch;
import dev.agentos.testing.ServiceProcess;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Polls every service's readiness in the background while a failure lasts: which services said not
 * ready, for how long in total, and which NATS server each was connected to when last ready.
 */
final class ReadinessSampler implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(200);
  private static final Pattern SERVER = Pattern.compile("\"server\"\\s*:\\s*\"([^\"]*)\"");

  private final Collection<ServiceProcess> services;
  private final Map<String, Long> notReadyMillis = new ConcurrentHashMap<>();
  private final Map<String, String> servers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "readiness-sampler");
            t.setDaemon(true);
            return t;
          });

  ReadinessSampler(Collection<ServiceProcess> services) {
    this.services = List.copyOf(services);
    // A sample that overruns its period is followed by the next at once, never two at a time.
    sampler.scheduleAtFixedRate(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The NATS server URL {@code service}'s readiness names now, if it is ready. */
  static Optional<String> connectedServer(ServiceProcess service) {
    ServiceLaunch.Health health = service.health("ready");
    Matcher m = SERVER.matcher(health.body());
    return health.status() == 200 && m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private void sample() {
    for (ServiceProcess service : services) {
      if (!service.isAlive()) {
        continue;
      }
      long before = System.nanoTime();
      ServiceLaunch.Health health = ServiceLaunch.health(service.httpPort(), "ready");
      if (health.status() != 200) {
        // Not ready from the probe's start until now, or for one sampling period at least.
        long millis = Math.max(EVERY.toMillis(), (System.nanoTime() - before) / 1_000_000);
        notReadyMillis.merge(service.name(), millis, Long::sum);
      } else {
        Matcher m = SERVER.matcher(health.body());
        if (m.find()) {
          servers.put(service.name(), m.group(1));
        }
      }
    }
  }

  /** Total time each service said not ready (or did not answer), by name; absent when never. */
  Map<String, Long> notReadyMillis() {
    return Map.copyOf(notReadyMillis);
  }

  @Override
  public void close() throws InterruptedException {
    sampler.shutdownNow();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
  }
}
