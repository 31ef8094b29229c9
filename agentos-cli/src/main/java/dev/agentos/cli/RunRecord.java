package dev.agentos.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code agentos up} started, as {@code <state dir>/run.json}: the NATS URL the services use,
 * the nats-server it started (none when it used a server of yours), the four services, and which
 * agent each role was given. {@code down} stops exactly these processes and no others.
 *
 * @param natsUrl the URL every service connects to; other commands use it by default
 * @param nats the nats-server process {@code up} started, or null when it used {@code NATS_URL}
 * @param services one process per role
 * @param agents per role, what agent the environment configured (never a key), e.g. {@code "openai
 *     gpt-4.1"}; roles without one are absent
 */
public record RunRecord(
    Instant startedAt,
    String natsUrl,
    ProcessRecord nats,
    List<ProcessRecord> services,
    Map<String, String> agents) {

  public RunRecord {
    services = services == null ? List.of() : List.copyOf(services);
    agents = agents == null ? Map.of() : Map.copyOf(agents);
  }

  public Optional<ProcessRecord> service(String role) {
    return services.stream().filter(s -> s.name().equals(role)).findFirst();
  }

  /** Every process {@code up} started: the services first, then nats-server. */
  public List<ProcessRecord> processes() {
    return nats == null
        ? services
        : java.util.stream.Stream.concat(services.stream(), java.util.stream.Stream.of(nats))
            .toList();
  }

  /**
   * One process {@code up} started.
   *
   * @param name {@code nats-server} or the role
   * @param pid its process id
   * @param processStart when the OS says it started: a pid reused by another process later does not
   *     match, so {@code down} never signals a stranger
   * @param port the NATS client port, or the service's HTTP port
   * @param log where its output goes
   */
  public record ProcessRecord(String name, long pid, Instant processStart, int port, String log) {}
}
