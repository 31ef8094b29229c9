package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.agentos.api.ControlApi;
import dev.agentos.api.Signoffs;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.CycleState;
import dev.agentos.state.Transitions;
import dev.agentos.testing.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentos watch --follow} prints the agent's live output of a team's cycle too, whose events
 * carry the team after their type ({@code agentos.events.<id>.output.<team>}).
 */
class WatchOutputIT {
  private static PrivateApi server;
  private static CycleStore store;
  private static Events events;

  @TempDir Path root;

  @BeforeAll
  static void start() throws Exception {
    server = PrivateApi.start();
    Topology.ensure(server.connection(), TopologySettings.defaults());
    store = CycleStore.open(server.connection());
    events = new Events(server.connection(), Clock.systemUTC());
    server.serve(
        new ControlApi(
                store,
                null,
                Handoff.unrestricted(server.connection()),
                events,
                s -> {},
                Signoffs.unsigned(),
                Clock.systemUTC())
            .endpoints("0.0.0", 64 * 1024));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void followPrintsTheLiveOutputOfATeamsCycle() throws Exception {
    CycleState running = States.executing().toBuilder().cycleId("c-team").team("teama").build();
    store.create(running);
    // StringWriter appends to a StringBuffer: read here while the watch writes to it.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> watch =
        CompletableFuture.supplyAsync(
            () ->
                AgentOsCli.execute(
                    CliRun.env(root, Map.of()),
                    new PrintWriter(out),
                    new PrintWriter(err),
                    "watch",
                    "c-team",
                    "--follow",
                    "--timeout",
                    "60s",
                    "--nats",
                    server.url()));

    // Told until the watch has subscribed and prints it; none is printed before it listens.
    Await.until(
        Duration.ofSeconds(30),
        "the live output of team cycle c-team printed (" + err + ")",
        () -> {
          events.publish(running, EventType.STEP_NOTE, "a note, not output", null);
          events.publish(running, EventType.OUTPUT, "editing cart.py", null);
          return out.toString().contains("editing cart.py");
        });
    store.update(
        "c-team", s -> Transitions.fail(s, ErrorCode.AGENT_FAILED, "stopped", Instant.now()));
    assertEquals(1, watch.get(30, TimeUnit.SECONDS), out + "\n" + err);
    assertFalse(out.toString().contains("a note, not output"), "only the output events: " + out);
  }
}
