package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.Await;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.service.Discovery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One PEER cycle across nats-server and four service processes, as a user runs it. */
class PeerCycleIT {
  private static Cluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = Cluster.start(Map.of());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void completesASpecCycleAcrossFourServiceProcesses() throws Exception {
    Path workspace = Workspaces.withSpec(3);
    Instant start = Instant.now();
    JsonNode reply =
        cluster.requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, null));
    String cycleId = reply.path("cycle_id").asText();
    assertFalse(cycleId.isBlank(), "submit replies with the cycle id: " + reply);

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(60));
    System.out.printf(
        "cycle %s completed in %d ms%n",
        cycleId, Duration.between(start, Instant.now()).toMillis());

    Iteration iteration = done.currentIteration();
    List<PlanStep> steps = iteration.plan().steps();
    assertEquals(3, steps.size(), "one step per unticked task");
    for (PlanStep step : steps) {
      StepRecord record = iteration.execution().step(step.id()).orElseThrow();
      assertEquals(StepStatus.COMPLETED, record.status(), step.id());
      assertNotNull(record.finishedAt(), step.id());
      assertNotNull(record.workspaceRef(), "git HEAD recorded for " + step.id());
    }
    assertEquals(dev.agentos.state.Verdict.PASS, iteration.review().verdict());
    assertTrue(Files.exists(workspace.resolve(iteration.express().recapPath())), "recap written");
    String tasks = Files.readString(workspace.resolve(Workspaces.SPEC + "/tasks.md"));
    assertFalse(tasks.contains("[ ]"), "every box ticked:\n" + tasks);
    assertTrue(tasks.contains("- [x] 2. Task number 2\n  - [x] 2.1 Write the tests"), tasks);
    List<String> calls = Workspaces.agentCalls(workspace);
    assertEquals(6, calls.size(), "three steps, each started and finished once: " + calls);
    assertTrue(
        eventTypes(cycleId)
            .containsAll(List.of(EventType.SUBMITTED, EventType.CLAIMED, EventType.TRANSITION)),
        "lifecycle events published");
  }

  @Test
  void plansASpecWithoutStartingACycleAndSummarisesAnyCycle() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    int cyclesBefore = cluster.store.cycleIds().size();
    JsonNode plan =
        cluster.requestJson(
            "agentos.planner.plan",
            "{\"workspace\":{\"path\":\""
                + workspace
                + "\"},\"spec\":\""
                + Workspaces.SPEC
                + "\"}");
    assertEquals(2, plan.path("plan").path("steps").size(), plan.toString());
    assertEquals("1. Task number 1", plan.path("plan").path("steps").get(0).path("title").asText());
    assertEquals(cyclesBefore, cluster.store.cycleIds().size(), "no cycle started");

    String cycleId =
        cluster
            .requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, null))
            .path("cycle_id")
            .asText();
    cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(60));
    JsonNode summary =
        cluster.requestJson("agentos.express.summary", "{\"cycle_id\":\"" + cycleId + "\"}");
    assertEquals("Iteration 1: 2 of 2 steps completed.", summary.path("summary").asText());
    assertEquals(".agent-os/recaps/2026-11-20-cart.md", summary.path("recap_path").asText());
    JsonNode unknown =
        cluster.requestJson("agentos.express.summary", "{\"cycle_id\":\"20990101-000000-none\"}");
    assertEquals("NOT_FOUND", unknown.path("error").path("code").asText());
  }

  @Test
  void turnsADurableTaskMessageIntoExactlyOneCycle() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String task = Workspaces.submit(workspace, null).replace("\"project\":\"shop\",", "");
    cluster
        .nc
        .jetStream()
        .publish(Topology.taskSubject("shop"), task.getBytes(StandardCharsets.UTF_8));

    String cycleId =
        Await.value(
            Duration.ofSeconds(30),
            "the task to become a cycle",
            () ->
                cluster.store.cycleIds().stream()
                    .map(cluster::state)
                    .filter(s -> workspace.toString().equals(s.workspace().path()))
                    .map(CycleState::cycleId)
                    .findFirst()
                    .orElse(null));
    cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(60));
    long cyclesForWorkspace =
        cluster.store.cycleIds().stream()
            .map(cluster::state)
            .filter(s -> workspace.toString().equals(s.workspace().path()))
            .count();
    assertEquals(1, cyclesForWorkspace);
  }

  @Test
  void reportsAnInvalidDurableTaskAsARejectedEvent() throws Exception {
    JetStreamSubscription events = eventSubscription("*.rejected");
    cluster
        .nc
        .jetStream()
        .publish(Topology.taskSubject("shop"), "{not json".getBytes(StandardCharsets.UTF_8));
    Message event =
        Await.value(
            Duration.ofSeconds(20),
            "a rejected event",
            () -> {
              List<Message> batch = events.fetch(1, Duration.ofMillis(500));
              return batch.isEmpty() ? null : batch.get(0);
            });
    JsonNode body = Json.tree(event.getData());
    assertTrue(body.path("message").asText().contains("malformed JSON"), body.toString());
  }

  @Test
  void everyRoleServesTheControlApiVisibleToDiscovery() throws Exception {
    // A ping gathers answers for one second: a service that answers later is asked again.
    Discovery discovery = new Discovery(cluster.nc, 1000, 10);
    Await.until(
        Duration.ofSeconds(20),
        "one agentos-api instance per role service",
        () -> discovery.ping(Topology.API_SERVICE).size() == 4);
    for (String role : Phase.roles()) {
      Await.until(
          Duration.ofSeconds(20),
          "the " + role + " service, alone, to answer discovery",
          () -> discovery.ping("agentos-" + role).size() == 1);
    }
  }

  @Test
  void aRoleSaysWhoItIsAndWhatItWorksOn() throws Exception {
    JsonNode status = cluster.requestJson("agentos.executor.status", "{}");
    assertEquals("executor", status.path("role").asText(), status.toString());
    assertTrue(status.path("worker_id").asText().startsWith("executor-"), status.toString());
    assertTrue(status.path("running").isArray(), status.toString());
  }

  /** The types the events' subjects name; a token that is no event type fails the test. */
  private static List<EventType> eventTypes(String cycleId) throws Exception {
    JetStreamSubscription sub = eventSubscription(cycleId + ".>");
    List<EventType> types = new ArrayList<>();
    for (Message m : sub.fetch(100, Duration.ofSeconds(2))) {
      String token = m.getSubject().substring(m.getSubject().lastIndexOf('.') + 1);
      types.add(EventType.of(token).orElseThrow(() -> new AssertionError(m.getSubject())));
    }
    return types;
  }

  private static JetStreamSubscription eventSubscription(String filter) throws Exception {
    return cluster
        .nc
        .jetStream()
        .subscribe(
            Topology.EVENTS_PREFIX + filter,
            PullSubscribeOptions.builder().stream(Topology.EVENTS_STREAM)
                .configuration(
                    ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build())
                .build());
  }
}
