package dev.agentos.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.api.Requests;
import dev.agentos.cli.AgentOsClient;
import dev.agentos.json.Json;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one cycle until it ends (COMPLETED, FAILED, CANCELLED) or waits for a person (PAUSED,
 * AWAITING_APPROVAL, NEEDS_INPUT), or the timeout passes: each event of the cycle is reported as it
 * comes, and the state is read through {@code agentos.api.status} after each one and once a {@link
 * #TICK} besides, so that a lost event delays the outcome by a tick at most. Statuses are compared
 * by name: a service newer than this client may know more of them.
 */
final class CycleFollower {
  static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");
  static final Set<String> WAITING = Set.of("PAUSED", "AWAITING_APPROVAL", "NEEDS_INPUT");
  private static final Duration TICK = Duration.ofSeconds(2);
  private static final int MAX_PROGRESS_CHARS = 300;

  private final AgentOsClient client;

  CycleFollower(AgentOsClient client) {
    this.client = client;
  }

  /**
   * @param progress told one line per event of the cycle
   * @return where the cycle stands: its id, status, phase and iteration, why it waits or failed,
   *     the number of events seen, and whether the timeout passed first
   */
  JsonNode follow(String cycleId, Duration timeout, Consumer<String> progress) {
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    // Subscribed before the first read, so that no event falls between the two.
    Dispatcher dispatcher =
        client.subscribeEvents(cycleId, message -> events.add(Json.tree(message.getData())));
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      JsonNode state = status(cycleId);
      int seen = 0;
      while (!stopped(state) && System.nanoTime() < deadline) {
        JsonNode event = poll(events, deadline);
        if (event != null) {
          seen++;
          progress.accept(describe(event));
        }
        state = status(cycleId);
      }
      return outcome(state, seen, !stopped(state));
    } finally {
      client.closeQuietly(dispatcher);
    }
  }

  static boolean stopped(JsonNode state) {
    String status = state.path("status").asText();
    return FINAL.contains(status) || WAITING.contains(status);
  }

  private JsonNode status(String cycleId) {
    return client.call("status", new Requests.CycleRef(cycleId));
  }

  private static JsonNode poll(BlockingQueue<JsonNode> events, long deadline) {
    long wait = Math.min(TICK.toNanos(), Math.max(0, deadline - System.nanoTime()));
    try {
      return events.poll(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolError("CANCELLED", "the watch was interrupted");
    }
  }

  /** {@code step_started EXECUTING (EXECUTE, iteration 1): step 2/3 …}, on one bounded line. */
  static String describe(JsonNode event) {
    StringBuilder line = new StringBuilder(event.path("type").asText("event"));
    if (event.hasNonNull("status")) {
      line.append(' ').append(event.path("status").asText());
    }
    if (event.hasNonNull("phase")) {
      line.append(" (").append(event.path("phase").asText());
      if (event.hasNonNull("iteration")) {
        line.append(", iteration ").append(event.path("iteration").asInt());
      }
      line.append(')');
    }
    if (event.hasNonNull("message")) {
      line.append(": ").append(event.path("message").asText());
    }
    String flat = line.toString().replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_PROGRESS_CHARS
        ? flat
        : flat.substring(0, MAX_PROGRESS_CHARS - 1) + "…";
  }

  private static JsonNode outcome(JsonNode state, int events, boolean timedOut) {
    ObjectNode out = Json.mapper().createObjectNode();
    for (String field : List.of("cycle_id", "status", "phase", "iteration")) {
      out.set(field, state.path(field));
    }
    for (String field : List.of("error", "approval", "question", "pause_reason")) {
      if (state.hasNonNull(field)) {
        out.set(field, state.get(field));
      }
    }
    out.put("events", events);
    out.put("timed_out", timedOut);
    return out;
  }
}
