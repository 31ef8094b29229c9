package dev.agentos.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.service.Service;
import io.nats.service.ServiceBuilder;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A NATS micro service (visible to {@code nats micro ls} and {@code $SRV} discovery) whose
 * endpoints take and give JSON. Every instance joins the same queue group, so a request is answered
 * once by whichever instance is up. Errors are the {@link ApiError} body plus the standard {@code
 * Nats-Service-Error} headers, and only errors carry those headers: they are how a client tells a
 * failed call from a success (see {@link ApiError}). The mapping lives here and nowhere else.
 */
public final class JsonEndpoints {
  public static final String ERROR_HEADER = "Nats-Service-Error";
  public static final String ERROR_CODE_HEADER = "Nats-Service-Error-Code";

  private static final Logger LOG = Logger.getLogger(JsonEndpoints.class);
  private static final int MAX_HEADER_CHARS = 1024;

  /** One endpoint's logic: request bytes in, a record to send as JSON out. */
  @FunctionalInterface
  public interface Handler {
    Object handle(byte[] body);
  }

  private final String name;
  private final String version;
  private final String description;
  private final int maxRequestBytes;

  /** An endpoint a team may call too: it is told who calls. */
  @FunctionalInterface
  public interface CallerHandler {
    Object handle(Caller caller, byte[] body);
  }

  private final Map<String, Handler> handlers = new LinkedHashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();

  public JsonEndpoints(String name, String version, String description, int maxRequestBytes) {
    this.name = name;
    this.version = version;
    this.description = description;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** An endpoint only the operator's account reaches (teams import nothing that maps to it). */
  public JsonEndpoints add(String subject, Handler handler) {
    handlers.put(subject, handler);
    names.put(subject, endpointName(subject));
    return this;
  }

  /**
   * An endpoint of {@code agentos.api.<endpoint>} that teams reach too: on {@code
   * agentos.team.*.api.<endpoint>}, the handler is told the team from the subject the server
   * delivered it on.
   */
  public JsonEndpoints addForTeams(String endpoint, CallerHandler handler) {
    add(Topology.apiSubject(endpoint), body -> handler.handle(Caller.OPERATOR, body));
    String teamSubject = Topology.teamApiSubject(endpoint);
    handlers.put(teamSubject, null);
    teamHandlers.put(teamSubject, handler);
    names.put(teamSubject, "team-" + endpointName(Topology.apiSubject(endpoint)));
    return this;
  }

  private final Map<String, CallerHandler> teamHandlers = new LinkedHashMap<>();

  /** Registers the endpoints on {@code nc} and starts answering. */
  public Service start(Connection nc) {
    ServiceBuilder builder =
        new ServiceBuilder().connection(nc).name(name).version(version).description(description);
    handlers.forEach(
        (subject, handler) ->
            builder.addServiceEndpoint(
                ServiceEndpoint.builder()
                    .endpointName(names.get(subject))
                    .endpointSubject(subject)
                    .handler(message -> answer(nc, message, handlerFor(message, subject, handler)))
                    .build()));
    Service service = builder.build();
    service.startService();
    return service;
  }

  private Handler handlerFor(ServiceMessage message, String subject, Handler handler) {
    if (handler != null) {
      return handler;
    }
    Caller caller = Caller.team(Topology.teamOf(message.getSubject()));
    CallerHandler teamHandler = teamHandlers.get(subject);
    return body -> teamHandler.handle(caller, body);
  }

  /** {@code agentos.api.standards.put} → {@code standards-put}: unique within the service. */
  static String endpointName(String subject) {
    int second = subject.indexOf('.', subject.indexOf('.') + 1);
    return subject.substring(second + 1).replace('.', '-');
  }

  /** What {@code handler} replies to {@code body}: the JSON bytes and, for an error, headers. */
  public Reply reply(byte[] body, Handler handler) {
    try {
      if (body == null || body.length == 0) {
        throw AgentOsException.invalid("the request body is empty; send a JSON object");
      }
      if (body.length > maxRequestBytes) {
        throw new AgentOsException(
            ErrorCode.PAYLOAD_TOO_LARGE,
            "the request has "
                + body.length
                + " bytes; the limit is "
                + maxRequestBytes
                + ". Put large content in the workspace and refer to it by path");
      }
      return new Reply(success(handler.handle(body)), null);
    } catch (AgentOsException e) {
      return error(e);
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s failed on a request", name);
      return error(
          new AgentOsException(
              ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName()));
    }
  }

  /**
   * A success's JSON. A body whose only member is {@code error} would read as a failed call to a
   * client that sees no headers ({@link ApiError#isErrorReply}), so no endpoint may answer one.
   */
  private byte[] success(Object result) {
    JsonNode tree = Json.mapper().valueToTree(result);
    if (ApiError.isErrorReply(tree)) {
      throw new IllegalStateException(
          "a successful reply has the shape of an error reply: {\"error\":{...}} alone");
    }
    return Json.write(tree);
  }

  /** A reply: JSON bytes, plus the service error headers when it is an error. */
  public record Reply(byte[] body, Headers headers) {
    public boolean isError() {
      return headers != null;
    }
  }

  private void answer(Connection nc, ServiceMessage message, Handler handler) {
    Reply reply = reply(message.getData(), handler);
    if (reply.isError()) {
      message.respond(nc, reply.body(), reply.headers());
    } else {
      message.respond(nc, reply.body());
    }
  }

  /**
   * The error message as a header value. NATS headers take printable ASCII only, and a message may
   * quote the request (a stray byte of malformed JSON): anything else becomes '?', so that the
   * reply is always sent. The body keeps the message as it is.
   */
  static String headerValue(String message) {
    String flat = message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
    StringBuilder value = new StringBuilder(Math.min(flat.length(), MAX_HEADER_CHARS));
    for (int i = 0; i < flat.length() && value.length() < MAX_HEADER_CHARS; i++) {
      char c = flat.charAt(i);
      value.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return value.toString();
  }

  private static Reply error(AgentOsException e) {
    Headers headers =
        new Headers()
            .put(ERROR_HEADER, headerValue(e.getMessage()))
            .put(ERROR_CODE_HEADER, Integer.toString(e.code().status()));
    return new Reply(Json.write(ApiError.of(e)), headers);
  }
}
