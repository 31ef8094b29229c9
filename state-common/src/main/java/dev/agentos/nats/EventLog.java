package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfoOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A cycle's past events as the {@code AGENTOS_EVENTS} stream keeps them, read with an ordered
 * consumer filtered on the cycle. Bounded twice: at most {@code maxEvents} are read, and the reply
 * keeps the newest that fit in {@code maxBytes} (a cycle's page needs its latest events most).
 */
public final class EventLog {
  private final Connection nc;
  private final Duration timeout;

  public EventLog(Connection nc, Duration timeout) {
    this.nc = nc;
    this.timeout = timeout;
  }

  /**
   * @param events oldest first
   * @param omitted how many older events of the cycle are left out
   */
  public record Page(List<JsonNode> events, long omitted) {}

  public Page of(String cycleId, int maxEvents, int maxBytes) {
    String filter = Topology.eventSubject(cycleId, ">");
    try {
      long held = count(filter);
      if (held == 0) {
        return new Page(List.of(), 0);
      }
      long skip = Math.max(0, held - maxEvents);
      Deque<Sized> kept = new ArrayDeque<>();
      long bytes = 0;
      long dropped = skip;
      JetStreamSubscription sub = nc.jetStream().subscribe(filter, options());
      try {
        long read = 0;
        while (read < held) {
          Message m = sub.nextMessage(timeout);
          if (m == null) {
            break;
          }
          read++;
          if (read <= skip) {
            continue;
          }
          kept.addLast(new Sized(Json.tree(m.getData()), m.getData().length));
          bytes += m.getData().length;
          while (bytes > maxBytes && !kept.isEmpty()) {
            bytes -= kept.removeFirst().bytes();
            dropped++;
          }
          if (m.metaData().pendingCount() == 0) {
            break;
          }
        }
      } finally {
        sub.unsubscribe();
      }
      return new Page(kept.stream().map(Sized::event).toList(), dropped);
    } catch (IOException | JetStreamApiException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE, "cannot read the events of " + cycleId + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted reading events", e);
    }
  }

  private record Sized(JsonNode event, int bytes) {}

  private static PushSubscribeOptions options() {
    return PushSubscribeOptions.builder().stream(Topology.EVENTS_STREAM)
        .ordered(true)
        .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build())
        .build();
  }

  /** How many messages the events stream holds on {@code filter}. */
  private long count(String filter) throws IOException, JetStreamApiException {
    var info =
        nc.jetStreamManagement()
            .getStreamInfo(Topology.EVENTS_STREAM, StreamInfoOptions.filterSubjects(filter));
    var subjects = info.getStreamState().getSubjects();
    return subjects == null ? 0 : subjects.stream().mapToLong(s -> s.getCount()).sum();
  }
}
