package dev.agentos.service;

import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Liveness and readiness. Liveness fails only when the connection is closed for good: a service
 * that is reconnecting during a NATS rollout must not be restarted. Readiness needs the connection,
 * JetStream, the work stream and the cycles bucket, and everything the service runs.
 */
public final class NatsHealth {
  private NatsHealth() {}

  @Liveness
  @ApplicationScoped
  public static class Live implements HealthCheck {
    @Inject Connection nc;

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("nats-connection")
          .status(nc.getStatus() != Connection.Status.CLOSED)
          .withData("status", nc.getStatus().name())
          .build();
    }
  }

  @Readiness
  @ApplicationScoped
  public static class Ready implements HealthCheck {
    @Inject Connection nc;
    @Inject AgentOsRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      HealthCheckResponseBuilder response =
          HealthCheckResponse.named("agentos-nats").withData("status", nc.getStatus().name());
      if (nc.getStatus() != Connection.Status.CONNECTED) {
        return response.down().build();
      }
      if (!runtime.isStarted()) {
        return response.down().withData("reason", "starting").build();
      }
      try {
        long streams =
            nc.jetStreamManagement()
                .getStreamInfo(Topology.WORK_STREAM)
                .getStreamState()
                .getMsgCount();
        nc.keyValue(Topology.CYCLES_BUCKET).getStatus();
        return response
            .up()
            .withData("server", String.valueOf(nc.getConnectedUrl()))
            .withData("pending_work", streams)
            .build();
      } catch (Exception e) {
        return response.down().withData("reason", String.valueOf(e.getMessage())).build();
      }
    }
  }
}
