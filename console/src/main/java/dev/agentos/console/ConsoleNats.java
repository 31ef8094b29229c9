package dev.agentos.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ApiError;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.LongLivedConnection;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Everything the console reads from or asks of NATS, in one place: the control API ({@code
 * agentos.api.*}) for cycles, their past events and artifacts, history and steering, and the live
 * events ({@code agentos.events.>}). Nothing else: no KV, no stream, no object store, which a
 * team's account does not import. It uses the NATS user from config (a team's, or the operator's
 * {@code client}) and sees exactly what that user may see. No other class of the console touches a
 * NATS type.
 */
public final class ConsoleNats implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsoleNats.class);

  private final Connection nc;
  private final Duration requestTimeout;

  ConsoleNats(Connection nc, Duration requestTimeout) {
    this.nc = nc;
    this.requestTimeout = requestTimeout;
  }

  /**
   * Connects as the configured user, the way every long-running process does ({@link
   * LongLivedConnection}: it reconnects forever, as NATS may restart under the pod); a request no
   * service listens to fails at once rather than at its timeout.
   */
  public static ConsoleNats connect(ConsoleConfig config) throws Exception {
    return new ConsoleNats(
        LongLivedConnection.open(
            config.nats(), "agentos-console", Options.Builder::reportNoResponders),
        config.console().requestTimeout());
  }

  public boolean connected() {
    return nc.getStatus() == Connection.Status.CONNECTED;
  }

  /**
   * Calls {@code agentos.api.<endpoint>} with a JSON body and returns the reply, or throws the
   * API's error (its code and message) as an {@link ApiCallException}.
   */
  public JsonNode call(String endpoint, Object body) {
    String subject = Topology.apiSubject(endpoint);
    byte[] payload =
        body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.write(body);
    Message reply;
    try {
      CompletableFuture<Message> future = nc.requestWithTimeout(subject, payload, requestTimeout);
      reply = future.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(subject, "interrupted");
    } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
      throw unavailable(subject, "no Agent OS service answered");
    }
    JsonNode tree = Json.tree(reply.getData());
    String errorHeader =
        reply.getHeaders() == null ? null : reply.getHeaders().getFirst(JsonEndpoints.ERROR_HEADER);
    if (errorHeader == null && !ApiError.isErrorReply(tree)) {
      return tree;
    }
    JsonNode error = tree.path(ApiError.FIELD);
    throw new ApiCallException(
        error.path("code").asText("ERROR"),
        error.path("message").asText(errorHeader == null ? "the API refused" : errorHeader));
  }

  private static ApiCallException unavailable(String subject, String why) {
    return new ApiCallException(
        ErrorCode.UNAVAILABLE.name(),
        why + " on " + subject + "; start the services (`agentos up`) or check NATS");
  }

  /**
   * Delivers every lifecycle event ({@code agentos.events.>}) as it is published, from a NATS
   * dispatcher thread: {@code handler} must hand long work to a thread of its own.
   */
  public AutoCloseable onEvents(Consumer<JsonNode> handler) {
    Dispatcher dispatcher =
        nc.createDispatcher(
            message -> {
              try {
                handler.accept(Json.tree(message.getData()));
              } catch (RuntimeException e) {
                LOG.warnf("event on %s not shown: %s", message.getSubject(), e.getMessage());
              }
            });
    dispatcher.subscribe(Topology.EVENTS_PREFIX + ">");
    return () -> nc.closeDispatcher(dispatcher);
  }

  /**
   * A cycle's past events, oldest first, through {@code agentos.api.events}: the API, not the
   * events stream, so that a team's user, which may not read the stream, sees them too.
   */
  public JsonNode eventsOf(String cycleId) {
    return call("events", Map.of("cycle_id", cycleId));
  }

  /**
   * A part of a cycle's artifact (a transcript, a recap) through {@code agentos.api.artifact},
   * which serves only the caller's own cycles' artifacts and a bounded part at a time.
   */
  public JsonNode artifact(String cycleId, String name, long offset) {
    return call("artifact", Map.of("cycle_id", cycleId, "name", name, "offset", offset));
  }

  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
