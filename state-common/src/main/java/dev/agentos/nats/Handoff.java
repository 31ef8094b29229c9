package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes the work message a cycle waits for. Publishing twice is harmless: the message id
 * repeats, so the stream's duplicate window keeps one, and a worker drops a message that no longer
 * matches the state.
 *
 * <p>A role may publish work only for its own phase and the next one (that is what its NATS
 * permissions allow in production). Work for any other phase (the API resuming a cycle at REVIEW
 * while served by the planner, say) is routed to the owning role on {@code agentos.<role>.enqueue},
 * and that role publishes it. If no replica of that role is up, the reconciler enqueues the cycle
 * once one is.
 */
public final class Handoff {
  public static final String MSG_ID = "Nats-Msg-Id";

  private final Connection nc;
  private final JetStream js;
  private final Set<Phase> direct;
  private final MessageTracing tracing;

  public Handoff(Connection nc, JetStream js, Set<Phase> direct, MessageTracing tracing) {
    this.nc = nc;
    this.js = js;
    this.direct = direct.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(direct);
    this.tracing = tracing;
  }

  /** A hand-off for a process that may publish every phase's work (tools, tests). */
  public static Handoff unrestricted(Connection nc) throws IOException {
    return new Handoff(nc, nc.jetStream(), EnumSet.allOf(Phase.class), MessageTracing.NONE);
  }

  /** A hand-off for the role that owns {@code phase}: its own work and the next phase's. */
  public static Handoff forRole(Connection nc, Phase phase, MessageTracing tracing)
      throws IOException {
    return new Handoff(nc, nc.jetStream(), EnumSet.of(phase, phase.next()), tracing);
  }

  /** Enqueues the work {@code state} waits for, if it waits for any; returns what was sent. */
  public Optional<WorkMessage> publish(CycleState state) {
    Optional<WorkMessage> pending = WorkMessage.pendingFor(state);
    pending.ifPresent(work -> send(work, work.messageId(state.requeues())));
    return pending;
  }

  /**
   * Publishes a work item for each step of a parallel plan that may start now ({@link
   * ParallelSteps#toPublish}: ready, or held by a replica whose lease ended, as many as {@code
   * maxParallel} leaves room for); returns what was sent. Called when EXECUTE starts, after each
   * step ends and by the reconciler: a repeat has the same message id (per cycle, iteration, step
   * and attempt), so the duplicate window keeps one message per step attempt.
   */
  public List<WorkMessage> publishSteps(CycleState state, int maxParallel, Instant now) {
    List<WorkMessage> sent = new ArrayList<>();
    for (PlanStep step : ParallelSteps.toPublish(state, maxParallel, now)) {
      WorkMessage work = WorkMessage.forStep(state, step.id());
      send(work, work.stepMessageId(state));
      sent.add(work);
    }
    return sent;
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

  /** Publishes work routed here by another role; only for a phase this role may publish. */
  public void publishRouted(WorkMessage work, String messageId) {
    if (!direct.contains(work.phase())) {
      throw AgentOsException.invalid("this role does not enqueue " + work.phase() + " work");
    }
    send(work, messageId);
  }

  private void send(WorkMessage work, String messageId) {
    Headers headers = new Headers().put(MSG_ID, messageId);
    tracing.inject(headers);
    byte[] body = Json.write(work);
    if (!direct.contains(work.phase())) {
      nc.publish(
          NatsMessage.builder()
              .subject(Topology.enqueueSubject(work.phase()))
              .headers(headers)
              .data(body)
              .build());
      return;
    }
    try {
      // The message id makes a repeat harmless, so a publish that timed out may go again.
      PublishAck ack =
          JetStreamRetry.transientFailures(
              () -> js.publish(Topology.workSubject(work.phase()), headers, body));
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
