package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.GitRef;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.Transitions;
import dev.agentos.state.Workspace;
import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A work message whose worker dies on every delivery reaches MaxDeliver; on a WorkQueue stream it
 * then stays in the stream and is never delivered again. The advisory JetStream publishes for it is
 * kept in AGENTOS_ADVISORIES, and {@link MaxDeliveries} settles the cycle from it.
 */
class MaxDeliveriesIT {
  private static final int MAX_DELIVER = 2;
  private static final Duration ACK_WAIT = Duration.ofSeconds(1);

  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;
  private static MaxDeliveries maxDeliveries;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(nc, new TopologySettings(1, ACK_WAIT, MAX_DELIVER, 100, Duration.ofHours(1)));
    store = CycleStore.open(nc);
    WorkerServices services = WorkerServices.plain(nc, Handoff.unrestricted(nc));
    maxDeliveries = new MaxDeliveries(Phase.EXECUTE, services, MAX_DELIVER);
    maxDeliveries.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (maxDeliveries != null) {
      maxDeliveries.close();
    }
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void aPhaseStartedMaxDeliverTimesFailsTheCycleAndMovesItsMessageToTheDlq() throws Exception {
    String cycleId = "20261120-100000-poison1";
    long sequence = enqueueExecuting(cycleId);

    assertNull(
        dieOnEveryDelivery(cycleId, true, () -> settled(cycleId)), "nothing is delivered again");

    CycleState failed = awaitStatus(cycleId, Status.FAILED);
    assertEquals(ErrorCode.MAX_DELIVER_EXHAUSTED, failed.error().code());
    assertEquals(Phase.EXECUTE, failed.error().phase());
    assertNull(failed.lease());
    Await.until(
        Duration.ofSeconds(10), "the message to leave the work stream", () -> gone(sequence));
    MessageInfo parked = dlqMessageFor(cycleId);
    assertEquals(cycleId, Json.read(parked.getData(), WorkMessage.class).cycleId());
  }

  @Test
  void deliveriesSpentWithoutAStartReEnqueueTheCycleWithAFreshMessage() throws Exception {
    String cycleId = "20261120-100000-poison2";
    long sequence = enqueueExecuting(cycleId);

    dieOnEveryDelivery(cycleId, false, () -> settled(cycleId));

    CycleState requeued =
        Await.value(
            Duration.ofSeconds(20),
            "the cycle to be re-enqueued",
            () -> {
              CycleState s = store.require(cycleId);
              return s.requeues() == 1 ? s : null;
            });
    assertEquals(Status.EXECUTING, requeued.status());
    Await.until(
        Duration.ofSeconds(10), "the old message to leave the work stream", () -> gone(sequence));
    Message fresh =
        nc.getConsumerContext(Topology.WORK_STREAM, "executor").next(Duration.ofSeconds(5));
    assertEquals(cycleId, Json.read(fresh.getData(), WorkMessage.class).cycleId());
    assertNotEquals(sequence, fresh.metaData().streamSequence());
    fresh.ack();
  }

  @Test
  void aDuplicateItemOfAStepAnotherWorkerHoldsIsDroppedWithoutSpendingAnAttempt() throws Exception {
    String cycleId = "20261120-100000-poison3";
    PlanStep a = PlanStep.of("A", "step A", "", "A");
    PlanStep b = PlanStep.of("B", "step B", "", "B").withDependsOn(List.of("A"));
    CycleState planning =
        CycleFixtures.claimed(CycleFixtures.queued(cycleId, CycleOptions.defaults()), Instant.now())
            .toBuilder()
            .workspace(new Workspace(null, new GitRef("https://git.example/shop.git", "main")))
            .build();
    CycleState executing =
        Transitions.planned(planning, Plan.of("tasks.md", List.of(a, b), List.of()), Instant.now())
            .toBuilder()
            .lease(null)
            .build();
    // Step A runs on a live worker, which renews its lease for as long as its agent runs.
    CycleState held =
        assertInstanceOf(
                ClaimDecision.Claimed.class,
                ParallelSteps.claim(
                    executing,
                    1,
                    "A",
                    "executor-alive",
                    Duration.ofMinutes(10),
                    5,
                    4,
                    Instant.now()))
            .state();
    store.create(held);
    // A second item for A (the redelivery of a dead holder's item, say): every worker that takes
    // it finds A held and gives it back, until it runs out of deliveries.
    Handoff.unrestricted(nc).publishRouted(WorkMessage.forStep(held, "A"), cycleId + ".A.dup");
    long sequence =
        nc.jetStreamManagement()
            .getLastMessage(Topology.WORK_STREAM, Topology.workSubject(Phase.EXECUTE))
            .getSeq();

    dieOnEveryDelivery(cycleId, false, () -> gone(sequence));

    Await.until(
        Duration.ofSeconds(20), "the duplicate to leave the work stream", () -> gone(sequence));
    CycleState after = store.require(cycleId);
    assertEquals(Status.EXECUTING, after.status(), "the cycle goes on");
    assertEquals(0, after.requeues(), "EXECUTE is not started again");
    assertEquals(held.attempts(), after.attempts(), "no attempt spent");
    assertEquals(
        "executor-alive",
        after.currentIteration().executionOrEmpty().step("A").orElseThrow().lease().owner());
    assertNull(
        nc.getConsumerContext(Topology.WORK_STREAM, "executor").next(Duration.ofSeconds(2)),
        "no work item sent in its place");
  }

  /** A cycle waiting for EXECUTE, and its work message; returns the message's stream sequence. */
  private static long enqueueExecuting(String cycleId) throws Exception {
    CycleState planning =
        CycleFixtures.claimed(
            CycleFixtures.queued(cycleId, CycleOptions.defaults()), Instant.now());
    CycleState executing = Transitions.planned(planning, CycleFixtures.plan(), Instant.now());
    store.create(executing);
    Handoff.unrestricted(nc).publish(executing);
    return nc.jetStreamManagement()
        .getLastMessage(Topology.WORK_STREAM, Topology.workSubject(Phase.EXECUTE))
        .getSeq();
  }

  /**
   * Takes the message MAX_DELIVER times and never acks it, like a worker that dies each time; with
   * {@code claim}, each delivery starts the phase first (as PhaseWorker does); pulls on until
   * {@code settled}.
   */
  private static Message dieOnEveryDelivery(String cycleId, boolean claim, BooleanSupplier settled)
      throws Exception {
    ConsumerContext executor = nc.getConsumerContext(Topology.WORK_STREAM, "executor");
    for (int delivery = 1; delivery <= MAX_DELIVER; delivery++) {
      Message message = executor.next(Duration.ofSeconds(5));
      assertEquals(delivery, message.metaData().deliveredCount());
      if (claim) {
        store.update(
            cycleId,
            s ->
                assertInstanceOf(
                        ClaimDecision.Claimed.class,
                        Transitions.claim(
                            s, 1, Phase.EXECUTE, "executor-dead", ACK_WAIT, 5, Instant.now()))
                    .state());
      }
    }
    // The server reports MaxDeliver when it would deliver again, which takes a pending pull: keep
    // pulling, as idle workers do, until the message is settled. A pull may get the fresh message
    // of a re-enqueue; it is returned.
    Message fresh = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && !settled.getAsBoolean()) {
      Message next = executor.next(Duration.ofMillis(1500));
      if (next != null) {
        fresh = next;
      }
    }
    return fresh;
  }

  /** Whether the cycle failed or was re-enqueued: what MaxDeliveries makes of a dead phase. */
  private static boolean settled(String cycleId) {
    CycleState s = store.require(cycleId);
    return s.status() == Status.FAILED || s.requeues() > 0;
  }

  private static CycleState awaitStatus(String cycleId, Status status) {
    Await.until(
        Duration.ofSeconds(20),
        "cycle " + cycleId + " to be " + status,
        () -> store.require(cycleId).status() == status);
    return store.require(cycleId);
  }

  private static boolean gone(long sequence) {
    try {
      JetStreamManagement jsm = nc.jetStreamManagement();
      MessageInfo info = jsm.getMessage(Topology.WORK_STREAM, sequence);
      return info == null;
    } catch (Exception e) {
      return true;
    }
  }

  private static MessageInfo dlqMessageFor(String cycleId) throws Exception {
    MessageInfo last =
        nc.jetStreamManagement()
            .getLastMessage(Topology.DLQ_STREAM, Topology.dlqSubject(Phase.EXECUTE));
    assertEquals(cycleId, last.getHeaders().getFirst(DeadLetters.CYCLE_ID));
    return last;
  }
}
