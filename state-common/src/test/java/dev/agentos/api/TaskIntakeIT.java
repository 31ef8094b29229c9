package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.Budget;
import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable intake never strands a task: one that cannot be stored while the cycles bucket is
 * away stays in AGENTOS_TASKS and is tried again, less often the longer it fails and without a
 * delivery limit, until it becomes a cycle; one that can never be accepted (larger than the API's
 * size cap) is answered with a {@code rejected} event that says why, and leaves the stream.
 */
class TaskIntakeIT {
  private static final TopologySettings SETTINGS =
      new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1));
  private static final int MAX_TASK_BYTES = 4096;
  private static final String IDENTITY = "intake-it";

  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;
  private static TaskIntake intake;

  @TempDir static Path workspaces;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(nc, SETTINGS);
    store = CycleStore.open(nc);
    Events events = new Events(nc, Clock.systemUTC());
    Submissions submissions =
        new Submissions(
            store,
            Handoff.unrestricted(nc),
            events,
            WorkspacePaths.unconfined(),
            Budget.unlimited(),
            InstructionRules.EXECUTE_TASKS_ONLY,
            OperatorRules.NONE,
            Clock.systemUTC());
    intake =
        new TaskIntake(
            nc.getConsumerContext(Topology.TASKS_STREAM, Topology.INTAKE_CONSUMER),
            submissions,
            events,
            IDENTITY,
            MAX_TASK_BYTES,
            Clock.systemUTC());
    intake.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (intake != null) {
      intake.close();
    }
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  private static byte[] task(Path workspace, String goal) {
    return ("{\"goal\":\"" + goal + "\",\"workspace\":{\"path\":\"" + workspace + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static ConsumerInfo intakeConsumer() {
    try {
      return nc.jetStreamManagement()
          .getConsumerInfo(Topology.TASKS_STREAM, Topology.INTAKE_CONSUMER);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the intake consumer", e);
    }
  }

  /** Tasks the intake has not acked yet: the stream keeps a task until it is acked. */
  private static long tasksInStream() {
    try {
      return nc.jetStreamManagement()
          .getStreamInfo(Topology.TASKS_STREAM)
          .getStreamState()
          .getMsgCount();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + Topology.TASKS_STREAM, e);
    }
  }

  @Test
  void aTaskPublishedWhileTheCyclesBucketIsAwayWaitsAndBecomesACycleOnceItIsBack()
      throws Exception {
    Path workspace = Files.createDirectories(workspaces.resolve("away")).toRealPath();
    Subscription rejected = nc.subscribe("agentos.events.*.rejected");
    nc.flush(Duration.ofSeconds(5));
    long deliveriesBefore = intakeConsumer().getDelivered().getConsumerSequence();
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.deleteStream("KV_" + Topology.CYCLES_BUCKET);
    String cycleId;
    try {
      PublishAck published =
          nc.jetStream().publish(Topology.taskSubject("away"), task(workspace, "while away"));
      cycleId = CycleIds.forTask(IDENTITY, published.getSeqno());
      // Tried, refused for want of the bucket, and tried again 1 s and then 2 s later.
      Await.until(
          Duration.ofSeconds(60),
          "the task to be tried three times",
          () -> intakeConsumer().getDelivered().getConsumerSequence() >= deliveriesBefore + 3);
      assertEquals(1, tasksInStream(), "the task is still in the stream");
      assertNull(rejected.nextMessage(Duration.ofMillis(200)), "no rejected event while it waits");
    } finally {
      Topology.ensure(nc, SETTINGS); // the bucket is back
    }
    Await.until(
        Duration.ofSeconds(60),
        "task " + cycleId + " to become a cycle",
        () -> store.get(cycleId).isPresent());
    assertEquals(workspace.toString(), store.require(cycleId).workspace().path());
    assertEquals("away", store.require(cycleId).project());
    Await.until(Duration.ofSeconds(10), "the task to be acked", () -> tasksInStream() == 0);
    assertNull(rejected.nextMessage(Duration.ofMillis(200)), "the task was never rejected");
    rejected.unsubscribe();
  }

  @Test
  void aTaskOverTheApisSizeCapIsRejectedWithAnEventAndLeavesTheStream() throws Exception {
    Path workspace = Files.createDirectories(workspaces.resolve("large")).toRealPath();
    Subscription rejected = nc.subscribe("agentos.events.*.rejected");
    nc.flush(Duration.ofSeconds(5));
    byte[] body = task(workspace, "x".repeat(MAX_TASK_BYTES));
    int cycles = store.cycleIds().size();

    PublishAck published = nc.jetStream().publish(Topology.taskSubject("large"), body);
    String cycleId = CycleIds.forTask(IDENTITY, published.getSeqno());
    Message event = rejected.nextMessage(Duration.ofSeconds(30));
    assertNotNull(event, "a rejected event for the oversized task");
    assertTrue(
        event.getSubject().startsWith("agentos.events." + cycleId + "."), event.getSubject());
    String why = Json.tree(event.getData()).path("message").asText();
    assertTrue(why.contains(body.length + " bytes; the limit is " + MAX_TASK_BYTES), why);
    Await.until(
        Duration.ofSeconds(10), "the oversized task to be acked", () -> tasksInStream() == 0);
    assertFalse(store.get(cycleId).isPresent(), "no cycle for it");
    assertEquals(cycles, store.cycleIds().size());
    rejected.unsubscribe();
  }

  @Test
  void theWaitBetweenTriesDoublesFromOneSecondUpToThirty() {
    assertEquals(Duration.ofSeconds(1), TaskIntake.backoff(1));
    assertEquals(Duration.ofSeconds(2), TaskIntake.backoff(2));
    assertEquals(Duration.ofSeconds(16), TaskIntake.backoff(5));
    assertEquals(Duration.ofSeconds(30), TaskIntake.backoff(6));
    assertEquals(Duration.ofSeconds(30), TaskIntake.backoff(1_000));
  }
}
