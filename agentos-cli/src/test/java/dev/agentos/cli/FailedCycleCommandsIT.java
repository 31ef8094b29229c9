package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ApiError;
import dev.agentos.api.ControlApi;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.CycleState;
import dev.agentos.state.Transitions;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FAILED cycle's state has a top-level {@code error} (why the cycle failed) just as an API error
 * reply has: the status of a failed cycle must still be shown as a cycle, by the CLI and to a raw
 * NATS client, and only a failed call may be an error. Runs the real control API in-process against
 * a private nats-server: a cycle that failed at EXECUTE because no executor agent is configured (an
 * INVALID_REQUEST, the same code an API refusal has), one cancelled through the CLI, and an id
 * nobody submitted.
 */
class FailedCycleCommandsIT {
  private static final String FAILED = "c-failed";
  private static final String CANCELLED = "c-cancelled";
  private static final String UNKNOWN = "c-nobody";
  private static final String NO_AGENT =
      "no agent is configured for role executor: set agentos.agents.executor.backend";

  private static PrivateApi server;
  private static Connection nc;

  @TempDir Path root;

  @BeforeAll
  static void start() throws Exception {
    server = PrivateApi.start();
    nc = server.connection();
    Topology.ensure(nc, TopologySettings.defaults());
    CycleStore store = CycleStore.open(nc);
    Events events = new Events(nc, Clock.systemUTC());
    CycleState executing = States.executing();

    CycleState running = executing.toBuilder().cycleId(FAILED).build();
    store.create(running);
    events.publish(running, EventType.SUBMITTED, "execute-tasks", null);
    events.publish(running, EventType.CLAIMED, "executor-1", null);
    events.publish(running, EventType.STEP_STARTED, "1. Cart items", null);
    events.publish(running, EventType.STEP_FINISHED, "1. Cart items: COMPLETED", null);
    CycleState failed =
        store
            .update(
                FAILED,
                s ->
                    Transitions.fail(
                        s, ErrorCode.INVALID_REQUEST, NO_AGENT, States.CREATED.plusSeconds(6)))
            .state();
    events.publish(failed, EventType.TRANSITION, "INVALID_REQUEST: " + NO_AGENT, null);

    store.create(executing.toBuilder().cycleId(CANCELLED).build());

    server.serve(
        new ControlApi(
                store,
                null,
                Handoff.unrestricted(nc),
                events,
                s -> {},
                dev.agentos.api.Signoffs.unsigned(),
                Clock.systemUTC())
            .endpoints("0.0.0", 64 * 1024));
    nc.flush(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private CliRun agentos(String... args) {
    return server.agentos(root, args);
  }

  private static Message status(String cycleId) throws Exception {
    Message reply =
        nc.request(
            Topology.apiSubject("status"),
            ("{\"cycle_id\":\"" + cycleId + "\"}").getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
    assertNotNull(reply, "no reply to the status of " + cycleId);
    return reply;
  }

  private static String errorHeader(Message reply) {
    return reply.getHeaders() == null
        ? null
        : reply.getHeaders().getFirst(JsonEndpoints.ERROR_HEADER);
  }

  @Test
  void theStatusOfAFailedCycleIsItsStateWithoutErrorHeaders() throws Exception {
    Message reply = status(FAILED);
    assertNull(errorHeader(reply), "a successful call has no Nats-Service-Error header");
    JsonNode body = Json.tree(reply.getData());
    assertFalse(ApiError.isErrorReply(body), body.toString());
    assertEquals(FAILED, body.path("cycle_id").asText());
    assertEquals("FAILED", body.path("status").asText());
    assertEquals("EXECUTE", body.path("error").path("phase").asText());
    assertEquals("INVALID_REQUEST", body.path("error").path("code").asText());
    assertEquals(NO_AGENT, body.path("error").path("message").asText());
    assertEquals(3, body.path("iterations").get(0).path("plan").path("steps").size());
  }

  @Test
  void theStatusOfAnUnknownCycleIsAnErrorWithHeaders() throws Exception {
    Message reply = status(UNKNOWN);
    assertNotNull(errorHeader(reply), "a failed call has the Nats-Service-Error header");
    assertTrue(errorHeader(reply).startsWith("no cycle 'c-nobody'"), errorHeader(reply));
    assertEquals("404", reply.getHeaders().getFirst(JsonEndpoints.ERROR_CODE_HEADER));
    JsonNode body = Json.tree(reply.getData());
    assertTrue(ApiError.isErrorReply(body), body.toString());
    assertEquals("NOT_FOUND", body.path("error").path("code").asText());
  }

  @Test
  void statusShowsAFailedCycleInFullAndSucceeds() {
    CliRun run = agentos("status", FAILED);
    assertEquals(ExitCode.OK, run.code(), run.toString());
    String out = run.out();
    assertTrue(out.contains("cycle " + FAILED), out);
    assertTrue(out.contains("status     FAILED  phase EXECUTE"), out);
    assertTrue(out.contains("error      EXECUTE INVALID_REQUEST: " + NO_AGENT), out);
    assertTrue(out.contains("PLAN     3 step(s) from tasks.md"), out);
    assertTrue(out.lines().anyMatch(l -> l.contains("1. Cart items") && l.contains("COMPLETED")));
    assertTrue(out.lines().anyMatch(l -> l.contains("2. Totals") && l.contains("FAILED")), out);
    assertTrue(out.lines().anyMatch(l -> l.contains("3. Documentation") && l.contains("PENDING")));
    assertTrue(out.contains("run the failed steps again: agentos retry " + FAILED), out);
    assertEquals("", run.err(), run.toString());
  }

  @Test
  void statusJsonOfAFailedCycleIsTheState() {
    CliRun run = agentos("status", FAILED, "--json");
    assertEquals(ExitCode.OK, run.code(), run.toString());
    JsonNode state = Json.tree(run.out().getBytes(StandardCharsets.UTF_8));
    assertEquals("FAILED", state.path("status").asText());
    assertEquals(NO_AGENT, state.path("error").path("message").asText());
  }

  @Test
  void watchShowsTheFailureAndExitsOne() {
    CliRun run = agentos("watch", FAILED, "--timeout", "30s");
    assertEquals(ExitCode.CYCLE_FAILED, run.code(), run.toString());
    assertTrue(
        run.out()
            .contains(
                "FAILED phase EXECUTE iteration 1/3 | 3 steps: 1 COMPLETED, 1 FAILED, 1 PENDING"),
        run.toString());
    assertTrue(run.out().contains("in EXECUTE: " + NO_AGENT + " [INVALID_REQUEST]"), run.out());
    assertTrue(
        run.out().contains("failed step 2. Totals (attempt 2): stopped: INVALID_REQUEST: "),
        run.out());
  }

  @Test
  void logsShowTheStepsAndTheFailureAndSucceed() {
    CliRun run = agentos("logs", FAILED);
    assertEquals(ExitCode.OK, run.code(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(5, lines.size(), run.out());
    assertTrue(lines.get(2).contains("step_started") && lines.get(2).contains("1. Cart items"));
    assertTrue(lines.get(4).contains("transition"), lines.get(4));
    assertTrue(lines.get(4).contains("FAILED EXECUTE it1"), lines.get(4));
    assertTrue(lines.get(4).endsWith("INVALID_REQUEST: " + NO_AGENT), lines.get(4));
  }

  @Test
  void aCancelledCycleIsShownAsCancelled() throws Exception {
    CliRun cancel = agentos("cancel", CANCELLED, "--reason", "moved to the next sprint");
    assertEquals(ExitCode.OK, cancel.code(), cancel.toString());

    Message reply = status(CANCELLED);
    assertNull(errorHeader(reply), reply.toString());
    assertEquals("CANCELLED", Json.tree(reply.getData()).path("status").asText());

    CliRun status = agentos("status", CANCELLED);
    assertEquals(ExitCode.OK, status.code(), status.toString());
    assertTrue(status.out().contains("status     CANCELLED"), status.out());
    assertTrue(
        status.out().lines().anyMatch(l -> l.contains("2. Totals") && l.contains("FAILED")),
        status.out());

    CliRun watch = agentos("watch", CANCELLED, "--timeout", "30s");
    assertEquals(ExitCode.CYCLE_CANCELLED, watch.code(), watch.toString());
    assertTrue(watch.out().contains("CANCELLED after"), watch.out());

    CliRun logs = agentos("logs", CANCELLED);
    assertEquals(ExitCode.OK, logs.code(), logs.toString());
    assertTrue(logs.out().contains("cancelled: moved to the next sprint"), logs.out());

    CliRun again = agentos("cancel", CANCELLED);
    assertEquals(ExitCode.API_ERROR, again.code(), again.toString());
    assertTrue(again.err().contains("is CANCELLED; CANCEL is only possible"), again.err());
  }

  @Test
  void anUnknownCycleExitsFourEverywhere() {
    for (String command : List.of("status", "watch", "logs")) {
      CliRun run = agentos(command, UNKNOWN);
      assertEquals(ExitCode.NOT_FOUND, run.code(), command + ": " + run);
      assertTrue(run.err().contains("no cycle '" + UNKNOWN + "'"), command + ": " + run);
      assertEquals("", run.out(), command + ": " + run);
    }
  }
}
