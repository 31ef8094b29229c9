package dev.agentos.nats;

import dev.agentos.state.Phase;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jboss.logging.Logger;

/**
 * Moves a work message that will never succeed to {@code AGENTOS_DLQ}, with why. The worker does it
 * before it terminates the message, because on a WorkQueue stream a terminated message is gone.
 */
public final class DeadLetters {
  public static final String CYCLE_ID = "Agentos-Cycle-Id";
  public static final String REASON = "Agentos-Reason";
  public static final String ORIGINAL_SUBJECT = "Agentos-Original-Subject";

  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final JetStream js;

  public DeadLetters(JetStream js) {
    this.js = js;
  }

  public void park(Message message, Phase phase, String cycleId, String reason) {
    Headers headers =
        new Headers()
            .put(CYCLE_ID, cycleId)
            .put(REASON, oneLine(reason))
            .put(ORIGINAL_SUBJECT, message.getSubject());
    try {
      js.publish(Topology.dlqSubject(phase), headers, message.getData());
    } catch (Exception e) {
      LOG.errorf(e, "cycle=%s phase=%s could not park the message in the DLQ", cycleId, phase);
    }
  }

  private static String oneLine(String text) {
    String flat = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    return flat.length() > 1000 ? flat.substring(0, 1000) : flat;
  }
}
