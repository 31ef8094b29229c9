package dev.agentos.cli;

import io.nats.service.Endpoint;
import io.nats.service.EndpointStats;
import io.nats.service.InfoResponse;
import io.nats.service.StatsResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One running service instance as discovery reports it, with its endpoints' statistics.
 *
 * @param started when the instance started, ISO-8601, or null
 */
public record ServiceInstance(
    String name,
    String id,
    String version,
    String description,
    String started,
    List<EndpointInfo> endpoints) {

  /**
   * @param averageProcessingMillis the mean time the endpoint took per request
   */
  public record EndpointInfo(
      String name,
      String subject,
      String queueGroup,
      long numRequests,
      long numErrors,
      double averageProcessingMillis,
      String lastError) {}

  public static List<ServiceInstance> of(
      List<InfoResponse> infos, Map<String, StatsResponse> statsById) {
    List<ServiceInstance> instances = new ArrayList<>();
    for (InfoResponse info : infos) {
      StatsResponse stats = statsById.get(info.getId());
      Map<String, EndpointStats> byName = new LinkedHashMap<>();
      if (stats != null) {
        for (EndpointStats es : stats.getEndpointStatsList()) {
          byName.put(es.getName(), es);
        }
      }
      List<EndpointInfo> endpoints = new ArrayList<>();
      for (Endpoint ep : info.getEndpoints()) {
        EndpointStats es = byName.get(ep.getName());
        endpoints.add(
            new EndpointInfo(
                ep.getName(),
                ep.getSubject(),
                ep.getQueueGroup(),
                es == null ? 0 : es.getNumRequests(),
                es == null ? 0 : es.getNumErrors(),
                es == null ? 0 : es.getAverageProcessingTime() / 1_000_000.0,
                es == null || es.getLastError() == null || es.getLastError().isBlank()
                    ? null
                    : es.getLastError()));
      }
      instances.add(
          new ServiceInstance(
              info.getName(),
              info.getId(),
              info.getVersion(),
              info.getDescription(),
              stats == null || stats.getStarted() == null ? null : stats.getStarted().toString(),
              endpoints));
    }
    instances.sort(Comparator.comparing(ServiceInstance::name).thenComparing(ServiceInstance::id));
    return instances;
  }

  public long requests() {
    return endpoints.stream().mapToLong(EndpointInfo::numRequests).sum();
  }

  public long errors() {
    return endpoints.stream().mapToLong(EndpointInfo::numErrors).sum();
  }

  /** A table of the instances, then per service name its endpoints with counts summed. */
  public static List<String> lines(List<ServiceInstance> instances, Style style) {
    List<String> lines = new ArrayList<>();
    if (instances.isEmpty()) {
      lines.add("No services found.");
      return lines;
    }
    Table table = new Table("SERVICE", "ID", "VERSION", "ENDPOINTS", "REQUESTS", "ERRORS");
    for (ServiceInstance i : instances) {
      table.row(
          i.name(),
          i.id(),
          i.version(),
          Integer.toString(i.endpoints().size()),
          Long.toString(i.requests()),
          i.errors() == 0 ? "0" : style.red(Long.toString(i.errors())));
    }
    lines.addAll(table.lines(style));
    Map<String, Map<String, long[]>> byService = new LinkedHashMap<>();
    Map<String, Map<String, Double>> avgBy = new LinkedHashMap<>();
    for (ServiceInstance i : instances) {
      Map<String, long[]> eps = byService.computeIfAbsent(i.name(), k -> new LinkedHashMap<>());
      Map<String, Double> avg = avgBy.computeIfAbsent(i.name(), k -> new LinkedHashMap<>());
      for (EndpointInfo e : i.endpoints()) {
        long[] counts = eps.computeIfAbsent(e.subject(), k -> new long[2]);
        counts[0] += e.numRequests();
        counts[1] += e.numErrors();
        avg.merge(e.subject(), e.averageProcessingMillis() * e.numRequests(), Double::sum);
      }
    }
    byService.forEach(
        (service, endpoints) -> {
          lines.add("");
          lines.add(style.bold(service) + " endpoints (summed over its instances):");
          Table eps = new Table("SUBJECT", "REQUESTS", "ERRORS", "AVG");
          endpoints.forEach(
              (subject, counts) -> {
                double total = avgBy.get(service).get(subject);
                eps.row(
                    subject,
                    Long.toString(counts[0]),
                    Long.toString(counts[1]),
                    counts[0] == 0 ? "-" : String.format(Locale.ROOT, "%.1fms", total / counts[0]));
              });
          eps.lines(style).forEach(l -> lines.add("  " + l));
        });
    return lines;
  }
}
