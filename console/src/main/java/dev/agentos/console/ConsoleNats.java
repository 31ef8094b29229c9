package dev.agentos.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ApiError;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.ObjectInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * Everything the console reads from or asks of NATS, in one place: the control API ({@code
 * agentos.api.*}) for cycles, history and steering, the events ({@code agentos.events.>}) live and
 * from their stream, and the artifacts object store for transcripts and recaps. It uses the team's
 * NATS user from config and nothing else, so it sees exactly what that user may see. No other class
 * of the console touches a NATS type.
 */
public final class ConsoleNats implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConsoleNats.class);

  /** Artifacts are transcripts and recaps; a page never shows more than this of one. */
  static final int MAX_ARTIFACT_BYTES = 2 * 1024 * 1024;

  /** A cycle's page shows at most this many of its events. */
  static final int MAX_EVENTS = 2_000;

  private final Connection nc;
  private final Duration requestTimeout;

  ConsoleNats(Connection nc, Duration requestTimeout) {
    this.nc = nc;
    this.requestTimeout = requestTimeout;
  }

  /** Connects as the configured user; reconnects forever, as NATS may restart under the pod. */
  public static ConsoleNats connect(ConsoleConfig config) throws Exception {
    ConsoleConfig.Nats nats = config.nats();
    Options.Builder options =
        Options.builder()
            .servers(nats.servers().toArray(String[]::new))
            .connectionName("agentos-console")
            .connectionTimeout(nats.connectTimeout())
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(1))
            .reportNoResponders()
            .connectionListener((conn, event) -> LOG.infof("NATS %s", event))
            .errorListener(new ErrorListener() {});
    if (nats.user().isPresent()) {
      options.userInfo(nats.user().get(), nats.password().orElse(""));
    }
    nats.token().ifPresent(token -> options.token(token.toCharArray()));
    nats.credsFile().ifPresent(file -> options.authHandler(Nats.credentials(file)));
    if (nats.tls()) {
      options.sslContext(SSLContext.getDefault());
    }
    LOG.infof("connecting to NATS at %s", String.join(",", nats.servers()));
    return new ConsoleNats(
        Nats.connectReconnectOnConnect(options.build()), config.console().requestTimeout());
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
   * A cycle's events as the events stream holds them, oldest first (at most {@link #MAX_EVENTS}).
   */
  public List<JsonNode> eventsOf(String cycleId) {
    List<JsonNode> events = new ArrayList<>();
    String filter = Topology.eventSubject(cycleId, ">");
    try {
      long pending = pending(filter);
      if (pending == 0) {
        return events;
      }
      PushSubscribeOptions options =
          PushSubscribeOptions.builder().stream(Topology.EVENTS_STREAM)
              .ordered(true)
              .configuration(
                  ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build())
              .build();
      JetStreamSubscription sub = nc.jetStream().subscribe(filter, options);
      try {
        long wanted = Math.min(pending, MAX_EVENTS);
        while (events.size() < wanted) {
          Message m = sub.nextMessage(requestTimeout);
          if (m == null) {
            break;
          }
          events.add(Json.tree(m.getData()));
          if (m.metaData().pendingCount() == 0) {
            break;
          }
        }
      } finally {
        sub.unsubscribe();
      }
    } catch (IOException | JetStreamApiException e) {
      throw new ApiCallException(
          ErrorCode.UNAVAILABLE.name(), "cannot read the events of " + cycleId + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return events;
  }

  /** How many messages the events stream holds on {@code filter}. */
  private long pending(String filter) throws IOException, JetStreamApiException {
    var info =
        nc.jetStreamManagement()
            .getStreamInfo(
                Topology.EVENTS_STREAM,
                io.nats.client.api.StreamInfoOptions.filterSubjects(filter));
    var subjects = info.getStreamState().getSubjects();
    return subjects == null ? 0 : subjects.stream().mapToLong(s -> s.getCount()).sum();
  }

  /** An artifact (a transcript, a recap) by the name the state records, if it is there. */
  public Optional<Artifact> artifact(String name) {
    try {
      ObjectStore store = nc.objectStore(Topology.ARTIFACTS_STORE);
      ObjectInfo info = store.getInfo(name);
      if (info == null || info.isDeleted()) {
        return Optional.empty();
      }
      if (info.getSize() > MAX_ARTIFACT_BYTES) {
        throw new ApiCallException(
            ErrorCode.PAYLOAD_TOO_LARGE.name(),
            "artifact "
                + name
                + " has "
                + info.getSize()
                + " bytes; the console shows at most "
                + MAX_ARTIFACT_BYTES);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.get(name, out);
      return Optional.of(new Artifact(name, out.toByteArray()));
    } catch (IOException | JetStreamApiException | java.security.NoSuchAlgorithmException e) {
      throw new ApiCallException(
          ErrorCode.UNAVAILABLE.name(), "cannot read artifact " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiCallException(ErrorCode.UNAVAILABLE.name(), "interrupted");
    }
  }

  public record Artifact(String name, byte[] content) {}

  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
