package dev.agentos.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.api.CycleIds;
import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The console's HTTP API for its pages: the live list and its server-sent events, a cycle with its
 * events, history and stats, artifacts, and the actions. Reads and writes go through {@link
 * ConsoleNats} only; the pages are static files under {@code META-INF/resources}.
 */
@ApplicationScoped
public class ConsoleRoutes {
  private static final Logger LOG = Logger.getLogger(ConsoleRoutes.class);

  /**
   * Sent by the console's own pages on every change: a cross-site form cannot set it, so another
   * site open in the same browser cannot press the console's buttons.
   */
  static final String ACTION_HEADER = "X-Agentos-Console";

  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int MAX_COMMENT_CHARS = 4_000;
  static final int MAX_ANSWER_CHARS = 8_000;
  private static final Pattern ARTIFACT_NAME = Pattern.compile("[A-Za-z0-9._/-]{1,256}");
  private static final List<String> HISTORY_FILTERS =
      List.of("project", "instruction", "status", "since", "limit");

  @Inject ConsoleNats nats;
  @Inject CycleBoard board;
  @Inject ConsoleConfig config;

  void routes(@Observes Router router) {
    // Who the pages act as: the NATS user's name (never its secret), shown in every page's header.
    router
        .get("/api/identity")
        .handler(rc -> json(rc, 200, Map.of("user", config.nats().user().orElse(""))));
    router.get("/api/cycles").handler(rc -> json(rc, 200, Map.of("cycles", board.rows())));
    router.get("/api/stream").handler(this::stream);
    router.get("/api/cycles/:id").blockingHandler(this::cycle, false);
    router
        .post("/api/cycles/:id/:action")
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    router.post("/api/cycles/:id/:action").blockingHandler(this::act, false);
    router.get("/api/history").blockingHandler(rc -> query(rc, "history"), false);
    router.get("/api/stats").blockingHandler(rc -> query(rc, "stats"), false);
    router.get("/api/artifacts/*").blockingHandler(this::artifact, false);
  }

  /** Server-sent events: every changed row ({@code row}) and every cycle event ({@code event}). */
  private void stream(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .write(": connected\n\n");
    Context context = rc.vertx().getOrCreateContext();
    AutoCloseable subscription =
        board.listen(
            update -> {
              String frame =
                  "event: " + update.type() + "\ndata: " + Json.writeString(update.data()) + "\n\n";
              context.runOnContext(
                  v -> {
                    if (response.closed() || response.ended()) {
                      return;
                    }
                    if (response.writeQueueFull()) {
                      // A page that does not keep up: it reconnects and loads the list afresh.
                      response.end();
                      return;
                    }
                    response.write(frame);
                  });
            });
    long keepAlive =
        rc.vertx()
            .setPeriodic(
                15_000,
                id -> {
                  if (!response.closed() && !response.ended()) {
                    response.write(": keep-alive\n\n");
                  }
                });
    response.closeHandler(
        v -> {
          rc.vertx().cancelTimer(keepAlive);
          close(subscription);
        });
  }

  private void cycle(RoutingContext rc) {
    String cycleId = rc.pathParam("id");
    handled(
        rc,
        () -> {
          CycleIds.requireValid(cycleId);
          JsonNode state = nats.call("status", Map.of("cycle_id", cycleId));
          ObjectNode reply = Json.mapper().createObjectNode();
          reply.set("state", state);
          reply.set("row", Json.mapper().valueToTree(CycleRow.of(state)));
          JsonNode events = nats.eventsOf(cycleId);
          reply.set("events", events.path("events"));
          reply.put("events_omitted", events.path("omitted").asLong());
          return reply;
        });
  }

  private void act(RoutingContext rc) {
    if (rc.request().getHeader(ACTION_HEADER) == null) {
      json(rc, 403, error("FORBIDDEN", "changes need the " + ACTION_HEADER + " header"));
      return;
    }
    String cycleId = rc.pathParam("id");
    handled(
        rc,
        () -> {
          CycleIds.requireValid(cycleId);
          Actions action =
              Actions.of(rc.pathParam("action"))
                  .orElseThrow(
                      () ->
                          AgentOsException.invalid(
                              "unknown action '" + rc.pathParam("action") + "'"));
          JsonNode request = body(rc);
          String comment = text(request, "comment", MAX_COMMENT_CHARS);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("cycle_id", cycleId);
          switch (action) {
            case ANSWER -> {
              String answer = text(request, "answer", MAX_ANSWER_CHARS);
              if (answer == null) {
                throw AgentOsException.invalid("an answer needs text: type it in the answer box");
              }
              body.put("answer", answer);
            }
            case APPROVE -> body.put("approved", true);
            case REJECT -> {
              body.put("approved", false);
              body.put("comment", comment);
            }
            case CANCEL ->
                body.put("reason", comment == null ? "cancelled in the console" : comment);
            default -> {}
          }
          if (action == Actions.APPROVE && comment != null) {
            body.put("comment", comment);
          }
          LOG.infof("cycle=%s %s requested in the console", cycleId, action.wire());
          return nats.call(action.endpoint(), body);
        });
  }

  /** An action's JSON body; none is an empty object. */
  private static JsonNode body(RoutingContext rc) {
    if (rc.body() == null || rc.body().length() == 0) {
      return Json.mapper().createObjectNode();
    }
    return Json.tree(rc.body().buffer().getBytes());
  }

  /** The optional text field {@code name} of an action's body, stripped and bounded. */
  private static String text(JsonNode body, String name, int max) {
    JsonNode field = body.path(name);
    if (field.isMissingNode() || field.isNull()) {
      return null;
    }
    String text = field.asText().strip();
    if (text.length() > max) {
      throw AgentOsException.invalid(
          "a " + name + " has at most " + max + " characters, not " + text.length());
    }
    return text.isEmpty() ? null : text;
  }

  /** {@code agentos.api.history|stats} with the filters of the query string. */
  private void query(RoutingContext rc, String endpoint) {
    handled(
        rc,
        () -> {
          Map<String, Object> body = new LinkedHashMap<>();
          for (String name : HISTORY_FILTERS) {
            String value = rc.queryParams().get(name);
            if (value != null && !value.isBlank()) {
              body.put(name, name.equals("limit") ? limit(value) : value);
            }
          }
          return nats.call(endpoint, body);
        });
  }

  private static int limit(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw AgentOsException.invalid("limit must be a number, not '" + value + "'");
    }
  }

  /**
   * An artifact as text, its name as the state records it ({@code <cycle_id>/...}), from {@code
   * ?offset=} on: the API serves a bounded part at a time, and a last line says where the next part
   * starts.
   */
  private void artifact(RoutingContext rc) {
    String name = rc.pathParam("*");
    int slash = name == null ? -1 : name.indexOf('/');
    if (slash < 1 || !ARTIFACT_NAME.matcher(name).matches() || name.contains("..")) {
      json(rc, 400, error("INVALID_REQUEST", "not an artifact name"));
      return;
    }
    try {
      long offset = offset(rc.queryParams().get("offset"));
      JsonNode part = nats.artifact(name.substring(0, slash), name, offset);
      StringBuilder text = new StringBuilder(part.path("content").asText(""));
      if (part.hasNonNull("next_offset")) {
        text.append("\n\n[bytes ")
            .append(offset)
            .append(" to ")
            .append(offset + part.path("length").asLong())
            .append(" of ")
            .append(part.path("size").asLong())
            .append(" shown; the next part: /api/artifacts/")
            .append(name)
            .append("?offset=")
            .append(part.path("next_offset").asLong())
            .append("]\n");
      }
      rc.response()
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("X-Content-Type-Options", "nosniff")
          .end(text.toString());
    } catch (ApiCallException e) {
      json(rc, e.httpStatus(), error(e.code(), e.getMessage()));
    } catch (AgentOsException e) {
      json(rc, e.code().status(), error(e.code().name(), e.getMessage()));
    }
  }

  private static long offset(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw AgentOsException.invalid("offset must be a number, not '" + value + "'");
    }
  }

  /** Runs {@code call} and answers with its JSON, or with the error in the API's own shape. */
  private static void handled(RoutingContext rc, java.util.function.Supplier<Object> call) {
    try {
      json(rc, 200, call.get());
    } catch (ApiCallException e) {
      json(rc, e.httpStatus(), error(e.code(), e.getMessage()));
    } catch (AgentOsException e) {
      json(rc, e.code().status(), error(e.code().name(), e.getMessage()));
    }
  }

  private static Map<String, Object> error(String code, String message) {
    return Map.of("error", Map.of("code", code, "message", message));
  }

  private static void json(RoutingContext rc, int status, Object body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(Json.writeString(body));
  }

  private static void close(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debugf("listener not closed: %s", e.getMessage());
    }
  }
}
