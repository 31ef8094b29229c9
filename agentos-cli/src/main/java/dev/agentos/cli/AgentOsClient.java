package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.json.Json;
import dev.agentos.nats.JetStreamErrors;
import dev.agentos.nats.Topology;
import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's connection to Agent OS: the control API ({@code agentos.api.*}), the cycles bucket and
 * the raw connection. Every failure becomes a {@link CliException} that names the URL it tried and
 * what to do about it.
 */
public final class AgentOsClient implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final Connection nc;
  private final NatsTarget target;

  private AgentOsClient(Connection nc, NatsTarget target) {
    this.nc = nc;
    this.target = target;
  }

  public static AgentOsClient connect(NatsTarget target) {
    return new AgentOsClient(open(target), target);
  }

  /** A plain connection to {@code target}, or a CliException that says how to get one. */
  public static Connection open(NatsTarget target) {
    try {
      Options options =
          target
              .auth()
              .applyTo(
                  Options.builder()
                      .server(target.url())
                      .connectionName("agentos-cli")
                      .connectionTimeout(CONNECT_TIMEOUT)
                      .maxReconnects(30)
                      .reconnectWait(Duration.ofMillis(500))
                      .reportNoResponders()
                      // jnats would print connection trouble on stderr; the CLI says it once.
                      .errorListener(new ErrorListener() {}))
              .build();
      return Nats.connect(options);
    } catch (IOException | IllegalArgumentException e) {
      throw unreachable(target, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted while connecting to NATS");
    }
  }

  static CliException unreachable(NatsTarget target, String reason) {
    return new CliException(
        ExitCode.UNREACHABLE,
        "cannot reach NATS at "
            + target.describe()
            + (reason == null ? "" : ": " + reason)
            + ".\n  Start Agent OS locally with `agentos up`, or point the CLI at a running server"
            + " with --nats URL (or NATS_URL).");
  }

  public Connection connection() {
    return nc;
  }

  public NatsTarget target() {
    return target;
  }

  /** Calls {@code agentos.api.<endpoint>} and returns its JSON reply, or throws its error. */
  public JsonNode call(String endpoint, Object body) {
    return request(Topology.apiSubject(endpoint), body, REQUEST_TIMEOUT);
  }

  /** Like {@link #call(String, Object)} for a request that may take longer (a rebuild, a scan). */
  public JsonNode call(String endpoint, Object body, Duration timeout) {
    return request(Topology.apiSubject(endpoint), body, timeout);
  }

  /** Calls a role's own endpoint {@code agentos.<role>.<endpoint>}, e.g. the executor's diff. */
  public JsonNode callRole(Phase role, String endpoint, Object body) {
    return request(Topology.roleSubject(role, endpoint), body, REQUEST_TIMEOUT);
  }

  private JsonNode request(String subject, Object body, Duration timeout) {
    byte[] payload =
        body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.write(body);
    Message reply;
    try {
      reply =
          nc.requestWithTimeout(subject, payload, timeout)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted while waiting on " + subject);
    } catch (CancellationException | ExecutionException e) {
      if (isNoResponders(e)) {
        throw noService(subject);
      }
      throw noReply(subject, timeout);
    } catch (TimeoutException e) {
      throw noReply(subject, timeout);
    }
    return ApiReplies.read(subject, reply.getData(), errorHeader(reply));
  }

  public <T> T call(String endpoint, Object body, Class<T> type) {
    return Json.convertStored(call(endpoint, body), type);
  }

  /**
   * Whether this connection's account reads the cycles bucket: the operator's does; a team's
   * account has no JetStream, and reads cycles through the API and events only.
   */
  public boolean readsCycles() {
    try {
      nc.keyValue(Topology.CYCLES_BUCKET).getStatus();
      return true;
    } catch (IOException | JetStreamApiException e) {
      if (JetStreamErrors.jetStreamDisabled(e)) {
        return false;
      }
      throw missingTopology("the KV bucket " + Topology.CYCLES_BUCKET, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted");
    }
  }

  /** The cycle's state through {@code agentos.api.status}. */
  public dev.agentos.state.CycleState status(String cycleId) {
    return Json.convertStored(
        call("status", new dev.agentos.api.Requests.CycleRef(cycleId)),
        dev.agentos.state.CycleState.class);
  }

  /** Calls {@code onEvent} for every event of the cycle, on a dispatcher of its own. */
  public io.nats.client.Dispatcher subscribeEvents(
      String cycleId, io.nats.client.MessageHandler onEvent) {
    io.nats.client.Dispatcher dispatcher = nc.createDispatcher(onEvent);
    dispatcher.subscribe(Topology.EVENTS_PREFIX + cycleId + ".>");
    return dispatcher;
  }

  public void closeQuietly(io.nats.client.Dispatcher dispatcher) {
    try {
      nc.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      // The connection is closing anyway.
    }
  }

  /** The {@code agentos-cycles} bucket, which the services create when they first start. */
  public KeyValue cycles() {
    try {
      KeyValue kv = nc.keyValue(Topology.CYCLES_BUCKET);
      KeyValueStatus ignored = kv.getStatus();
      return kv;
    } catch (IOException | JetStreamApiException e) {
      throw missingTopology("the KV bucket " + Topology.CYCLES_BUCKET, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted");
    }
  }

  CliException missingTopology(String what, Exception cause) {
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (JetStreamErrors.jetStreamDisabled(cause)) {
      return new CliException(
          ExitCode.UNREACHABLE,
          "NATS at "
              + target.describe()
              + " has JetStream disabled; Agent OS needs it. Start nats-server with -js, or"
              + " run `agentos up`, which starts one that has it.");
    }
    return new CliException(
        ExitCode.UNREACHABLE,
        what
            + " is not on NATS at "
            + target.describe()
            + " ("
            + reason
            + "); the Agent OS services create it when they start: run `agentos up`.");
  }

  private CliException noService(String subject) {
    return new CliException(
        ExitCode.UNREACHABLE,
        "no Agent OS service answers "
            + subject
            + " on NATS at "
            + target.describe()
            + ".\n  Start the services with `agentos up`; `agentos services` lists what runs.");
  }

  private CliException noReply(String subject, Duration timeout) {
    return new CliException(
        ExitCode.UNREACHABLE,
        "no reply on "
            + subject
            + " within "
            + timeout.toSeconds()
            + "s from NATS at "
            + target.describe()
            + ".\n  Check the services with `agentos services` and their logs; `agentos up` starts"
            + " them.");
  }

  private static boolean isNoResponders(Exception e) {
    if (e instanceof CancellationException) {
      return true;
    }
    Throwable cause = e.getCause();
    String text = cause == null ? "" : String.valueOf(cause.getMessage());
    return text.contains("503") || text.toLowerCase().contains("no responders");
  }

  private static String errorHeader(Message reply) {
    if (reply.getHeaders() == null) {
      return null;
    }
    return reply.getHeaders().getFirst(JsonEndpoints.ERROR_HEADER);
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
