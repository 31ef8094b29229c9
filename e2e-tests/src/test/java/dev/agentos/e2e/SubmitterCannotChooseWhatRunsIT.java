package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.testing.FakeOpenAiServer;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A plain NATS client describes the work; the operator decides what runs. A command line, a base
 * URL or a shell line in a submit, over the API or the durable intake, is refused with a clear
 * error, runs nothing and writes no cycle. What the operator configured, chosen by name, runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubmitterCannotChooseWhatRunsIT {
  private static final Duration REFUSED = Duration.ofSeconds(30);
  private static final Duration DONE = Duration.ofSeconds(90);

  private static Cluster cluster;
  private static FakeOpenAiServer elsewhere;
  private static Path workspace;
  private static final List<Path> markers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    elsewhere = new FakeOpenAiServer();
    cluster =
        Cluster.start(
            Map.of(
                "agentos.profiles.recorder.command",
                "bash " + Cluster.agentScript("recording-agent.sh"),
                "agentos.checks.listing.run",
                "ls",
                "agentos.budget.ceiling.tokens",
                "100000"));
    workspace = Workspaces.withSpec(1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (elsewhere != null) {
      elsewhere.close();
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a command override | api | {\"agents\":{\"executor\":{\"backend\":\"command\","
            + "\"command\":[\"sh\",\"-c\",\"touch MARKER\"]}}} | recorder",
        "a command override | intake | {\"agents\":{\"executor\":{\"backend\":\"command\","
            + "\"command\":[\"sh\",\"-c\",\"touch MARKER\"]}}} | recorder",
        "a planner command | api | {\"agents\":{\"planner\":{\"command\":[\"touch\",\"MARKER\"]}}}"
            + " | recorder",
        "a planner command | intake | {\"agents\":{\"planner\":{\"command\":[\"touch\","
            + "\"MARKER\"]}}} | recorder",
        "a base-URL override | api | {\"agents\":{\"review\":{\"backend\":\"openai\","
            + "\"model\":\"m\",\"base_url\":\"ELSEWHERE\"}}} | recorder",
        "a base-URL override | intake | {\"agents\":{\"review\":{\"backend\":\"openai\","
            + "\"model\":\"m\",\"base_url\":\"ELSEWHERE\"}}} | recorder",
        "a base URL alone | api | {\"agents\":{\"executor\":{\"base_url\":\"ELSEWHERE\"}}}"
            + " | recorder",
        "a verify shell line | api | {\"verify\":[\"touch MARKER\"]} | listing",
        "a verify shell line | intake | {\"verify\":[\"touch MARKER\"]} | listing",
        "an unknown profile | api | {\"agents\":{\"executor\":\"root-shell\"}} | recorder",
        "a budget above the ceiling | api | {\"budget\":{\"tokens\":200000}} | ceiling",
        "a budget above the ceiling | intake | {\"budget\":{\"tokens\":200000}} | ceiling",
      })
  @Order(1)
  void isRefusedRunsNothingAndWritesNoCycle(
      String what, String transport, String options, String listed) throws Exception {
    Path marker = workspace.resolve("marker-" + markers.size());
    markers.add(marker);
    String body =
        Workspaces.submit(
            workspace,
            options.replace("MARKER", marker.toString()).replace("ELSEWHERE", elsewhere.baseUrl()));
    int cyclesBefore = cluster.store.cycleIds().size();

    String message =
        transport.equals("api") ? refusedByTheApi(body) : rejectedByTheIntake(body, listed);

    assertTrue(message.contains(listed), what + ": the refusal names " + listed + ": " + message);
    assertEquals(cyclesBefore, cluster.store.cycleIds().size(), what + ": no cycle written");
  }

  @Test
  @Order(1)
  void aSubmittedIdWithTheLinkSuffixIsRefused() throws Exception {
    String body =
        Workspaces.submit(workspace, null)
            .replace("{\"project\"", "{\"cycle_id\":\"abc-l2\"," + "\"project\"");

    String message = refusedByTheApi(body);

    assertTrue(message.contains("reserved for the links of a chain"), message);
    assertTrue(cluster.store.get("abc-l2").isEmpty());
  }

  @Test
  @Order(2)
  void aProfileAndACheckChosenByNameRunAndTheRefusedLinesNeverDid() throws Exception {
    String id =
        Json.tree(
                cluster
                    .request(
                        Topology.apiSubject("submit"),
                        Workspaces.submit(
                            workspace,
                            "{\"agents\":{\"executor\":\"recorder\"},\"verify\":[\"listing\"]}"))
                    .getData())
            .path("cycle_id")
            .asText();

    CycleState done = cluster.awaitStatus(id, Status.COMPLETED, DONE);

    Check listing =
        done.currentIteration().review().checks().stream()
            .filter(c -> c.name().equals("listing"))
            .findFirst()
            .orElseThrow();
    assertEquals("agentos.checks.listing", listing.source());
    assertEquals(0, listing.exitCode());
    assertTrue(listing.passed());
    assertFalse(Workspaces.agentCalls(workspace).isEmpty(), "the recorder profile ran");
    // The services have planned, executed, expressed and reviewed since every refusal: a line
    // that had been accepted would have run by now.
    for (Path marker : markers) {
      assertFalse(Files.exists(marker), marker + " was never created");
    }
    assertEquals(List.of(), elsewhere.requests(), "nothing was sent to the submitted base URL");
    assertEquals(List.of(id), cluster.store.cycleIds(), "the only cycle is the allowed one");
  }

  private static String refusedByTheApi(String body) throws Exception {
    Message reply = cluster.request(Topology.apiSubject("submit"), body);
    JsonNode error = Json.tree(reply.getData()).path("error");
    assertEquals("INVALID_REQUEST", error.path("code").asText(), error.toString());
    assertEquals("400", reply.getHeaders().getFirst("Nats-Service-Error-Code"));
    return error.path("message").asText();
  }

  /** Publishes the task durably and returns the message of the {@code rejected} event it got. */
  private static String rejectedByTheIntake(String body, String listed) throws Exception {
    Subscription events = cluster.nc.subscribe(Topology.eventSubject("*", "rejected"));
    try {
      cluster.nc.flush(Duration.ofSeconds(5));
      cluster
          .nc
          .jetStream()
          .publish(Topology.taskSubject("shop"), body.getBytes(StandardCharsets.UTF_8));
      return Await.value(
          REFUSED,
          "a rejected event for the task",
          () -> {
            Message event;
            try {
              event = events.nextMessage(Duration.ofMillis(500));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
            if (event == null) {
              return null;
            }
            String text = Json.tree(event.getData()).path("message").asText();
            return text.contains(listed) ? text : null;
          });
    } finally {
      events.unsubscribe();
    }
  }
}
