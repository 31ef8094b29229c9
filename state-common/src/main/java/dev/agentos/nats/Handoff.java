package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.util.Optional;

/**
 * Publishes the work message a cycle waits for. Publishing twice is harmless: the message id
 * repeats, so the stream's duplicate window keeps one, and a worker drops a message that no longer
 * matches the state.
 */
public final class Handoff {
  public static final String MSG_ID = "Nats-Msg-Id";

  private final JetStream js;

  public Handoff(JetStream js) {
    this.js = js;
  }

  /** Enqueues the work {@code state} waits for, if it waits for any; returns what was sent. */
  public Optional<WorkMessage> publish(CycleState state) {
    Optional<WorkMessage> pending = WorkMessage.pendingFor(state);
    pending.ifPresent(work -> send(work, work.messageId(state.requeues())));
    return pending;
  }

  /**
   * Re-sends the hand-off of a cycle nobody has claimed yet: the redelivery of an older message
   * finds the cycle moved on, and the crash that interrupted the first hand-off may have fallen
   * between the state write and the publish.
   */
  public void ensureEnqueued(CycleState state) {
    if (state != null && state.lease() == null) {
      publish(state);
    }
  }

  private void send(WorkMessage work, String messageId) {
    Headers headers = new Headers().put(MSG_ID, messageId);
    try {
      PublishAck ack = js.publish(Topology.workSubject(work.phase()), headers, Json.write(work));
      if (ack.hasError()) {
        throw new AgentOsException(ErrorCode.UNAVAILABLE, "hand-off refused: " + ack.getError());
      }
    } catch (IOException | JetStreamApiException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "cannot hand cycle " + work.cycleId() + " to " + work.phase() + ": " + e.getMessage(),
          e);
    }
  }
}
