package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.Phase;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves a work message that will never succeed to {@code AGENTOS_DLQ}, with why. The worker does it
 * before it terminates the message, because on a WorkQueue stream a terminated message is gone.
 *
 * <p>A message JetStream stopped delivering after MaxDeliver (its worker died on every delivery) is
 * different: no worker holds it, and on a WorkQueue stream it stays in the stream for good. The
 * server reports it with an advisory, which {@code AGENTOS_ADVISORIES} keeps until a worker of the
 * role takes it with {@link #nextExhausted}, decides the cycle, and parks or deletes the message.
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

  /**
   * A work message that reached MaxDeliver, as JetStream's advisory reports it. {@code original} is
   * the message still in the work stream, or empty when it is gone (acked or removed meanwhile).
   */
  public record Exhausted(
      Message advisory, long streamSequence, long deliveries, Optional<MessageInfo> original) {}

  public void park(Message message, Phase phase, String cycleId, String reason) {
    try {
      publish(message.getSubject(), message.getData(), phase, cycleId, reason);
    } catch (AgentOsException e) {
      LOG.errorf(e, "cycle=%s phase=%s could not park the message in the DLQ", cycleId, phase);
    }
  }

  /**
   * Parks the message an advisory reported and removes it from the work stream; if the DLQ does not
   * take it, it stays where it is and this throws UNAVAILABLE.
   */
  public void park(Exhausted exhausted, Phase phase, String cycleId, String reason) {
    exhausted
        .original()
        .ifPresent(
            original -> {
              publish(original.getSubject(), original.getData(), phase, cycleId, reason);
              discard(exhausted);
            });
  }

  /** Removes the message an advisory reported from the work stream, without parking it. */
  public void discard(Exhausted exhausted) {
    try {
      js.getStreamContext(Topology.WORK_STREAM).deleteMessage(exhausted.streamSequence());
    } catch (JetStreamApiException e) {
      if (!JetStreamErrors.is(e, JetStreamErrors.NO_MESSAGE_FOUND)) {
        throw unavailable("delete work message " + exhausted.streamSequence(), e);
      }
    } catch (IOException e) {
      throw unavailable("delete work message " + exhausted.streamSequence(), e);
    }
  }

  /**
   * Waits up to {@code wait} for the next MaxDeliver advisory of {@code phase}'s consumer. The
   * caller acks the advisory once it has dealt with the message.
   */
  public Optional<Exhausted> nextExhausted(Phase phase, Duration wait) throws InterruptedException {
    Message advisory;
    try {
      ConsumerContext advisories =
          js.getConsumerContext(Topology.ADVISORIES_STREAM, Topology.maxDeliveriesConsumer(phase));
      advisory = advisories.next(wait);
    } catch (IOException | JetStreamApiException | JetStreamStatusCheckedException e) {
      throw unavailable("read the MaxDeliver advisories of " + phase, e);
    }
    if (advisory == null) {
      return Optional.empty();
    }
    JsonNode body;
    try {
      body = Json.tree(advisory.getData());
    } catch (AgentOsException e) {
      LOG.warnf("dropping an unreadable MaxDeliver advisory: %s", e.getMessage());
      advisory.term();
      return Optional.empty();
    }
    long sequence = body.path("stream_seq").asLong();
    return Optional.of(
        new Exhausted(advisory, sequence, body.path("deliveries").asLong(), original(sequence)));
  }

  private Optional<MessageInfo> original(long sequence) {
    try {
      return Optional.of(js.getStreamContext(Topology.WORK_STREAM).getMessage(sequence));
    } catch (JetStreamApiException e) {
      if (JetStreamErrors.is(e, JetStreamErrors.NO_MESSAGE_FOUND)) {
        return Optional.empty();
      }
      throw unavailable("read work message " + sequence, e);
    } catch (IOException e) {
      throw unavailable("read work message " + sequence, e);
    }
  }

  private void publish(String subject, byte[] data, Phase phase, String cycleId, String reason) {
    Headers headers =
        new Headers()
            .put(CYCLE_ID, cycleId)
            .put(REASON, oneLine(reason))
            .put(ORIGINAL_SUBJECT, subject);
    try {
      js.publish(Topology.dlqSubject(phase), headers, data);
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("park cycle " + cycleId + " in the DLQ", e);
    }
  }

  private static AgentOsException unavailable(String what, Exception cause) {
    return new AgentOsException(
        ErrorCode.UNAVAILABLE, "cannot " + what + ": " + cause.getMessage(), cause);
  }

  private static String oneLine(String text) {
    String flat = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    return flat.length() > 1000 ? flat.substring(0, 1000) : flat;
  }
}
