package dev.agentos.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the console is connected to NATS: without it every page would be empty. */
@Readiness
@ApplicationScoped
public class ConsoleHealth implements HealthCheck {
  @Inject ConsoleNats nats;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("console-nats").status(nats.connected()).build();
  }
}
