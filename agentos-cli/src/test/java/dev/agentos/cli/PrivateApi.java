package dev.agentos.cli;

import dev.agentos.api.JsonEndpoints;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.service.Service;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private nats-server, a connection to it and the API endpoints a CLI test serves on it in this
 * process; the CLI runs in-process against that server.
 */
final class PrivateApi implements AutoCloseable {
  private final TestNats nats;
  private final Connection nc;
  private final List<Service> services = new ArrayList<>();

  private PrivateApi(TestNats nats) {
    this.nats = nats;
    this.nc = nats.connect();
  }

  static PrivateApi start() {
    return new PrivateApi(TestNats.start());
  }

  Connection connection() {
    return nc;
  }

  String url() {
    return nats.url();
  }

  /** Starts answering {@code endpoints}' subjects; stopped by {@link #close}. */
  void serve(JsonEndpoints endpoints) {
    services.add(endpoints.start(nc));
  }

  /** {@code agentos <args> --nats <this server>}, with a repository at {@code root}. */
  CliRun agentos(Path root, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--nats", nats.url()));
    return CliRun.of(CliRun.env(root, Map.of()), argv.toArray(String[]::new));
  }

  @Override
  public void close() throws InterruptedException {
    services.forEach(Service::stop);
    nc.close();
    nats.close();
  }
}
