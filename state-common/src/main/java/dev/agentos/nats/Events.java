package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import io.nats.client.Connection;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Publishes lifecycle events. They are a record for people and tools, not the source of truth (that
 * is the state in KV), so they are published without waiting for a JetStream ack.
 */
public final class Events {

  private static final Logger LOG = Logger.getLogger(Events.class);

  private final Connection nc;
  private final Clock clock;

  public Events(Connection nc, Clock clock) {
    this.nc = nc;
    this.clock = clock;
  }

  public void publish(CycleState state, EventType type, String message, JsonNode detail) {
    publish(
        state.team(),
        new CycleEvent(
            state.cycleId(),
            type.wire(),
            clock.instant(),
            state.status(),
            state.phase(),
            state.iteration(),
            message,
            detail));
  }

  public void publish(CycleEvent event) {
    publish(null, event);
  }

  /** Publishes {@code event} where {@code team}'s account receives it (team null: no team). */
  public void publish(String team, CycleEvent event) {
    try {
      nc.publish(Topology.eventSubject(event.cycleId(), event.type(), team), Json.write(event));
    } catch (RuntimeException e) {
      LOG.warnf(e, "cycle=%s could not publish event %s", event.cycleId(), event.type());
    }
  }
}
