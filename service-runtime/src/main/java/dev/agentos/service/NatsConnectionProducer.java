package dev.agentos.service;

import dev.agentos.nats.LongLivedConnection;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The service's one NATS connection, made as every long-running process makes it ({@link
 * LongLivedConnection}: it reconnects forever). Credentials come from config only and are never
 * logged.
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
    return LongLivedConnection.open(config.nats(), name, options -> options);
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
