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
  public static final String SUBMITTED = "submitted";
  public static final String REJECTED = "rejected";
  public static final String CLAIMED = "claimed";
  public static final String STEP_STARTED = "step_started";
  public static final String STEP_FINISHED = "step_finished";

  /** Something went wrong after a step's work was done (its box, its transcript): for people. */
  public static final String STEP_NOTE = "step_note";

  public static final String TRANSITION = "transition";
  public static final String RETRYING = "retrying";
  public static final String REQUEUED = "requeued";
  public static final String DEAD_LETTERED = "dead_lettered";

  private static final Logger LOG = Logger.getLogger(Events.class);

  private final Connection nc;
  private final Clock clock;

  public Events(Connection nc, Clock clock) {
    this.nc = nc;
    this.clock = clock;
  }

  public void publish(CycleState state, String type, String message, JsonNode detail) {
    publish(
        new CycleEvent(
            state.cycleId(),
            type,
            clock.instant(),
            state.status(),
            state.phase(),
            state.iteration(),
            message,
            detail));
  }

  public void publish(CycleEvent event) {
    try {
      nc.publish(Topology.eventSubject(event.cycleId(), event.type()), Json.write(event));
    } catch (RuntimeException e) {
      LOG.warnf(e, "cycle=%s could not publish event %s", event.cycleId(), event.type());
    }
  }
}
