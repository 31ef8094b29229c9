package dev.agentos.service.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The list of Agent OS metrics the Grafana dashboard may query ({@code
 * deploy/grafana/exported-metrics.txt}, which deploy/validate.sh checks the dashboard against) is
 * exactly what the services' Prometheus registry renders, every meter having been used once.
 */
class ExportedMetricsTest {
  static final Path LIST =
      Path.of(System.getProperty("agentos.repo.root", ".."), "deploy/grafana/exported-metrics.txt");

  @Test
  void theDashboardsMetricListIsWhatTheServicesExport() throws Exception {
    PrometheusMeterRegistry registry = PrometheusNamesTest.everyMeterUsed();
    Set<String> exported =
        registry
            .scrape()
            .lines()
            .filter(line -> line.startsWith("agentos_"))
            .map(line -> line.replaceFirst("[{ ].*", ""))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> listed =
        Files.readAllLines(LIST, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .collect(Collectors.toCollection(TreeSet::new));

    assertEquals(
        String.join("\n", exported),
        String.join("\n", listed),
        LIST + " must list exactly the agentos_* metrics the services export");
  }
}
