package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.PendingQuestion;
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

  /**
   * {@code question}: the cycle waits in NEEDS_INPUT for a person; the detail carries {@code
   * step_id}, {@code text} and {@code context}, so a watcher needs no second read to show it.
   */
  public void questionAsked(CycleState state) {
    PendingQuestion question = state.question();
    if (question == null) {
      return;
    }
    ObjectNode detail = Json.mapper().createObjectNode();
    detail.put("step_id", question.stepId());
    detail.put("text", question.text());
    if (question.context() != null) {
      detail.put("context", question.context());
    }
    publish(state, EventType.QUESTION, question.text(), detail);
  }

  /** {@code answered}: a person answered the question of step {@code stepId}; the step goes on. */
  public void answered(CycleState state, String stepId) {
    ObjectNode detail = Json.mapper().createObjectNode();
    detail.put("step_id", stepId);
    publish(state, EventType.ANSWERED, "step " + stepId + " answered; it goes on", detail);
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
