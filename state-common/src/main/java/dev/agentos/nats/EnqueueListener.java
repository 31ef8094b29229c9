package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.jboss.logging.Logger;

/**
 * Receives work other roles route to this role on {@code agentos.<role>.enqueue} and publishes it
 * to the work stream (see {@link Handoff}). All replicas of the role share one queue group, so one
 * of them publishes; the message id makes a repeat harmless anyway.
 */
public final class EnqueueListener implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EnqueueListener.class);

  private final Connection nc;
  private final Dispatcher dispatcher;

  private EnqueueListener(Connection nc, Dispatcher dispatcher) {
    this.nc = nc;
    this.dispatcher = dispatcher;
  }

  public static EnqueueListener start(
      Connection nc, Phase phase, Handoff handoff, MessageTracing tracing) {
    Dispatcher dispatcher = nc.createDispatcher(message -> accept(message, handoff, tracing));
    dispatcher.subscribe(Topology.enqueueSubject(phase), "agentos-" + phase.role() + "-enqueue");
    return new EnqueueListener(nc, dispatcher);
  }

  private static void accept(Message message, Handoff handoff, MessageTracing tracing) {
    try {
      WorkMessage work = Json.read(message.getData(), WorkMessage.class);
      String messageId =
          message.getHeaders() == null ? null : message.getHeaders().getFirst(Handoff.MSG_ID);
      if (messageId == null || work.cycleId() == null || work.phase() == null) {
        throw AgentOsException.invalid("a routed work message needs a cycle, a phase and an id");
      }
      // Continue the router's trace, so the routed hand-off stays in the cycle's trace.
      tracing.inSpan(
          "agentos.enqueue",
          message.getHeaders(),
          work.cycleId(),
          () -> {
            handoff.publishRouted(work, messageId);
            return null;
          });
    } catch (AgentOsException e) {
      LOG.warnf("dropped routed work on %s: %s", message.getSubject(), e.getMessage());
    }
  }

  @Override
  public void close() {
    nc.closeDispatcher(dispatcher);
  }
}
