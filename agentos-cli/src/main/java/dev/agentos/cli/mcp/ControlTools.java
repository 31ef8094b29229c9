package dev.agentos.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.cli.Since;
import dev.agentos.state.Status;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tools of {@code agentos mcp}: one call of the control API each ({@code agentos.api.<name>}),
 * plus {@code watch}, which follows a cycle and sends a progress notification per event. Arguments
 * are checked here first: a bad one is a tool error and nothing is sent.
 */
final class ControlTools {
  static final int MAX_WATCH_SECONDS = 3600;
  static final int DEFAULT_WATCH_SECONDS = 300;

  private static final String CYCLE_ID = "the cycle's id, as submit returned it";
  private static final List<String> STATUSES =
      Arrays.stream(Status.values()).map(Enum::name).toList();
  private static final List<String> ENDED = List.of("COMPLETED", "FAILED", "CANCELLED");

  private final NatsSession nats;
  private final SubmitArguments submit;

  ControlTools(NatsSession nats, SubmitArguments submit) {
    this.nats = nats;
    this.submit = submit;
  }

  List<SyncToolSpecification> all() {
    return List.of(
        ToolSpecs.tool(
            "submit",
            "Start a PEER cycle (Plan, Execute, Express, Review) on a spec folder or a goal, in a"
                + " local workspace or a git remote. Returns the cycle id and status; follow it"
                + " with watch.",
            SubmitArguments.schema(),
            (in, exchange, request) -> call("submit", submit.request(in))),
        ToolSpecs.tool(
            "status",
            "The full state of one cycle: status, phase, iteration, steps, usage, error, and the"
                + " question or approval it waits for.",
            Schema.object().requiredText("cycle_id", CYCLE_ID),
            (in, exchange, request) -> call("status", Map.of("cycle_id", in.cycleId()))),
        ToolSpecs.tool(
            "list",
            "The cycles, newest first, optionally of one project or in one status.",
            Schema.object()
                .text("project", "only this project's cycles")
                .choice("status", STATUSES, "only cycles in this status")
                .integer("limit", 1, 200, "at most this many (default 50)"),
            (in, exchange, request) -> call("list", listQuery(in))),
        ToolSpecs.tool(
            "watch",
            "Follow a cycle until it ends (COMPLETED, FAILED, CANCELLED) or waits for a person"
                + " (AWAITING_APPROVAL, NEEDS_INPUT, PAUSED), sending a progress notification for"
                + " each of its events. Gives up after timeout_seconds with timed_out true; the"
                + " cycle goes on, and watch can be called again.",
            Schema.object()
                .requiredText("cycle_id", CYCLE_ID)
                .integer(
                    "timeout_seconds",
                    1,
                    MAX_WATCH_SECONDS,
                    "how long to follow at most (default " + DEFAULT_WATCH_SECONDS + ")"),
            this::watch),
        ToolSpecs.tool(
            "approve",
            "Let a cycle waiting at an approval gate (AWAITING_APPROVAL) go on.",
            Schema.object()
                .requiredText("cycle_id", CYCLE_ID)
                .text("comment", "a note for the record"),
            (in, exchange, request) -> call("approve", decision(in, true))),
        ToolSpecs.tool(
            "reject",
            "Reject a cycle waiting at an approval gate: the comment becomes the feedback of its"
                + " next iteration.",
            Schema.object()
                .requiredText("cycle_id", CYCLE_ID)
                .requiredText("comment", "what to change"),
            (in, exchange, request) -> call("approve", decision(in, false))),
        ToolSpecs.tool(
            "answer",
            "Answer the question a cycle waits on (NEEDS_INPUT): the agent that asked goes on"
                + " with the answer.",
            Schema.object()
                .requiredText("cycle_id", CYCLE_ID)
                .requiredText("answer", "the answer to the agent's question"),
            (in, exchange, request) ->
                call("answer", Map.of("cycle_id", in.cycleId(), "answer", in.required("answer")))),
        ToolSpecs.tool(
            "cancel",
            "Stop a cycle; a running step stops at its next check.",
            Schema.object()
                .requiredText("cycle_id", CYCLE_ID)
                .text("reason", "why, for the record"),
            (in, exchange, request) -> call("cancel", cancel(in))),
        ToolSpecs.tool(
            "history",
            "The ended cycles (COMPLETED, FAILED, CANCELLED), newest first: instruction,"
                + " iterations, review score, tokens, cost, wall time and models.",
            historySchema().integer("limit", 1, 1000, "at most this many (default 100)"),
            (in, exchange, request) -> call("history", historyQuery(in, true))),
        ToolSpecs.tool(
            "stats",
            "What the ended cycles add up to: success rate, mean review score, iterations, cost"
                + " and wall time, overall and per project, instruction and model.",
            historySchema(),
            (in, exchange, request) -> call("stats", historyQuery(in, false))));
  }

  private CallToolResult call(String endpoint, Object body) {
    return ToolSpecs.json(nats.client().call(endpoint, body));
  }

  private CallToolResult watch(
      ToolInput in, McpSyncServerExchange exchange, CallToolRequest request) {
    String cycleId = in.cycleId();
    Duration timeout =
        Duration.ofSeconds(
            in.integer("timeout_seconds", 1, MAX_WATCH_SECONDS).orElse(DEFAULT_WATCH_SECONDS));
    Object token = request.progressToken();
    AtomicInteger sent = new AtomicInteger();
    JsonNode outcome =
        new CycleFollower(nats.client())
            .follow(
                cycleId,
                timeout,
                line -> {
                  // Progress only for a caller that asked for it with a token (MCP's rule).
                  if (token != null) {
                    exchange.progressNotification(
                        new ProgressNotification(token, sent.incrementAndGet(), null, line));
                  }
                });
    return ToolSpecs.json(outcome);
  }

  private static Map<String, Object> listQuery(ToolInput in) {
    Map<String, Object> query = new LinkedHashMap<>();
    in.text("project").ifPresent(p -> query.put("project", p));
    in.oneOf("status", STATUSES).ifPresent(s -> query.put("status", s));
    query.put("limit", in.integer("limit", 1, 200).orElse(50));
    return query;
  }

  private static Map<String, Object> decision(ToolInput in, boolean approved) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cycle_id", in.cycleId());
    body.put("approved", approved);
    if (approved) {
      in.text("comment").ifPresent(c -> body.put("comment", c));
    } else {
      body.put("comment", in.required("comment"));
    }
    return body;
  }

  private static Map<String, Object> cancel(ToolInput in) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cycle_id", in.cycleId());
    in.text("reason").ifPresent(r -> body.put("reason", r));
    return body;
  }

  private static Schema historySchema() {
    return Schema.object()
        .text("project", "only this project's cycles")
        .text("instruction", "only cycles of this instruction, e.g. execute-tasks")
        .choice("status", ENDED, "only cycles that ended this way")
        .text(
            "since",
            "only cycles that ended since then: an ISO time (2026-11-20T10:00:00Z), a day"
                + " (2026-11-20) or an age (30m, 12h, 2d, 1w)");
  }

  private static Map<String, Object> historyQuery(ToolInput in, boolean withLimit) {
    Map<String, Object> query = new LinkedHashMap<>();
    in.text("project").ifPresent(p -> query.put("project", p));
    in.text("instruction").ifPresent(i -> query.put("instruction", i));
    in.oneOf("status", ENDED).ifPresent(s -> query.put("status", s));
    in.text("since").ifPresent(s -> query.put("since", Since.parse(s, Instant.now()).toString()));
    if (withLimit) {
      in.integer("limit", 1, 1000).ifPresent(l -> query.put("limit", l));
    }
    return query;
  }
}
