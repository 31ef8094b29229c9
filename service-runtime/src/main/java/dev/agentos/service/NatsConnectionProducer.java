package dev.agentos.service;

import dev.agentos.nats.NatsAuth;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The service's one NATS connection. It reconnects forever: a pod may start before NATS, and NATS
 * may restart under a running pod. Credentials come from config only and are never logged.
 */
@ApplicationScoped
public class NatsConnectionProducer {
  private static final Logger LOG = Logger.getLogger(NatsConnectionProducer.class);

  @Produces
  @Singleton
  Connection connection(
      AgentOsConfig config,
      @ConfigProperty(name = "quarkus.application.name", defaultValue = "agentos") String name)
      throws Exception {
    AgentOsConfig.Nats nats = config.nats();
    Options.Builder options =
        Options.builder()
            .servers(nats.servers().toArray(String[]::new))
            .connectionName(name)
            .connectionTimeout(nats.connectTimeout())
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(1))
            .connectionListener(
                (conn, event) ->
                    LOG.infof(
                        "NATS %s (%s)",
                        event,
                        conn.getConnectedUrl() == null
                            ? "-"
                            : NatsAuth.redact(conn.getConnectedUrl())))
            .errorListener(new ErrorListener() {});
    auth(nats).applyTo(options);
    LOG.infof("connecting to NATS at %s", NatsAuth.redact(nats.servers()));
    return Nats.connectReconnectOnConnect(options.build());
  }

  /** The credentials and TLS files of {@code agentos.nats.*}; secrets stay out of every log. */
  static NatsAuth auth(AgentOsConfig.Nats nats) {
    return new NatsAuth(
        nats.user().orElse(null),
        nats.password().orElse(null),
        nats.token().orElse(null),
        nats.credsFile().map(Path::of).orElse(null),
        nats.nkeyFile().map(Path::of).orElse(null),
        nats.tls(),
        nats.tlsCa().map(Path::of).orElse(null),
        nats.tlsCert().map(Path::of).orElse(null),
        nats.tlsKey().map(Path::of).orElse(null));
  }

  void close(@Disposes Connection connection) {
    try {
      connection.drain(Duration.ofSeconds(5)).get();
    } catch (Exception e) {
      LOG.debugf("NATS drain ended early: %s", e.getMessage());
    }
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
