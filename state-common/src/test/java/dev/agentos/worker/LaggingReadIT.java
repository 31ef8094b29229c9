package dev.agentos.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.json.Json;
import dev.agentos.nats.BucketKeys;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.StreamLeaderRead;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.Transitions;
import dev.agentos.state.Verdict;
import dev.agentos.state.Workspace;
import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work message is never dropped on a lagging read. A real worker and nats-server; the lag of a
 * cluster replica is played by a bucket whose first read of the cycle answers an older revision (or
 * nothing), as a replica that has not applied the last write does. The leader's reads are counted
 * on the JetStream API subject itself.
 */
class LaggingReadIT {
  private static final Duration ACK_WAIT = Duration.ofSeconds(5);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static TestNats nats;
  private static Connection nc;

  /** Per cycle id: how many STREAM.MSG.GET requests asked for it. */
  private static final Map<String, AtomicInteger> leaderReads = new ConcurrentHashMap<>();

  @TempDir Path workspace;

  /** Per cycle id: the revision the bucket's next read answers with (0: no value), once. */
  private final Map<String, Long> lagOnce = new ConcurrentHashMap<>();

  private final AtomicInteger lagged = new AtomicInteger();
  private final CountingPlanner planner = new CountingPlanner();

  @BeforeAll
  static void startNats() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(nc, new TopologySettings(1, ACK_WAIT, 5, 100, Duration.ofHours(1)));
    Dispatcher counting =
        nc.createDispatcher(
            msg -> {
              String request = new String(msg.getData(), StandardCharsets.UTF_8);
              String cycle = request.replaceAll(".*cycle\\.([^\"]+)\".*", "$1");
              leaderReads.computeIfAbsent(cycle, c -> new AtomicInteger()).incrementAndGet();
            });
    counting.subscribe("$JS.API.STREAM.MSG.GET.KV_" + Topology.CYCLES_BUCKET);
  }

  @AfterAll
  static void stopNats() throws Exception {
    nc.close();
    nats.close();
  }

  @Test
  void aReadOnePhaseBehindTheHandOffIsConfirmedByTheLeaderAndThePhaseRuns() throws Exception {
    String id = "20261207-120000-behind";
    CycleState reviewing = inWorkspace(CycleFixtures.reviewing(), id);
    long before = plain().store().create(reviewing).revision();
    // The review asks for another iteration: the cycle is at iteration 2, PLAN, at the leader.
    CycleState revised =
        plain()
            .store()
            .update(
                id,
                s -> Transitions.reviewed(s, CycleFixtures.review(Verdict.REVISE), Instant.now()))
            .state();
    assertEquals(2, revised.iteration());
    lagOnce.put(id, before);

    try (PhaseWorker worker = planner()) {
      worker.start();
      plain().handoff().publish(revised);
      awaitPlanned(id, 2);
    }

    assertEquals(1, lagged.get(), "the first read answered the revision before the hand-off");
    assertEquals(1, leaderReads(id), "one read through the stream leader");
    assertEquals(1, planner.runs.get(), "the phase ran once");
    assertEquals(
        1L, (long) planner.claimedAt.get(id), "claimed at the first delivery, no redelivery");
  }

  @Test
  void aCycleMissingOnALaggingReadIsFoundAtTheLeaderAndThePhaseRuns() throws Exception {
    String id = "20261207-120000-missing";
    CycleState queued = inWorkspace(CycleFixtures.queued(), id);
    plain().store().create(queued);
    lagOnce.put(id, 0L);

    try (PhaseWorker worker = planner()) {
      worker.start();
      plain().handoff().publish(queued);
      awaitPlanned(id, 1);
    }

    assertEquals(1, lagged.get());
    assertEquals(1, leaderReads(id));
    assertEquals(1, planner.runs.get());
    assertEquals(1L, (long) planner.claimedAt.get(id));
  }

  @Test
  void aMessageTheLeaderConfirmsStaleIsDroppedAtOnce() throws Exception {
    String id = "20261207-120000-moved-on";
    CycleState executing = inWorkspace(CycleFixtures.executing(), id);
    long revision = plain().store().create(executing).revision();

    try (PhaseWorker worker = planner()) {
      worker.start();
      publish(new WorkMessage(id, 1, Phase.PLAN), id + ".dup");
      awaitPlannerQueueEmpty();
    }
    Await.until(DEADLINE, "the leader read to be counted", () -> leaderReads(id) >= 1);

    assertEquals(0, planner.runs.get(), "the cycle had moved on to EXECUTE: nothing ran");
    assertEquals(1, leaderReads(id), "the drop was confirmed by the leader once");
    assertEquals(revision, plain().store().get(id).orElseThrow().revision(), "nothing written");
  }

  @Test
  void aMessageAheadOfTheLeadersStateWaitsForItAndRuns() throws Exception {
    String id = "20261207-120000-ahead";
    CycleState reviewing = inWorkspace(CycleFixtures.reviewing(), id);
    plain().store().create(reviewing);

    try (PhaseWorker worker = planner()) {
      worker.start();
      // The hand-off of iteration 2 arrives before its state is there (a just-elected leader that
      // has not applied its log yet looks like this): the worker must wait, not drop it.
      publish(new WorkMessage(id, 2, Phase.PLAN), id + ".2.plan");
      Await.until(DEADLINE, "the first delivery to be looked at", () -> leaderReads(id) >= 1);
      plain()
          .store()
          .update(
              id,
              s -> Transitions.reviewed(s, CycleFixtures.review(Verdict.REVISE), Instant.now()));
      awaitPlanned(id, 2);
    }

    assertEquals(1, planner.runs.get());
    assertEquals(
        2L, (long) planner.claimedAt.get(id), "claimed at the redelivery after the short wait");
  }

  @Test
  void aMessageThatStaysAheadIsDroppedAfterItsShortWaits() throws Exception {
    String id = "20261207-120000-never";
    CycleState reviewing = inWorkspace(CycleFixtures.reviewing(), id);
    long revision = plain().store().create(reviewing).revision();

    try (PhaseWorker worker = planner()) {
      worker.start();
      publish(new WorkMessage(id, 2, Phase.PLAN), id + ".2.plan");
      Await.until(
          DEADLINE, "the waits to be used up", () -> leaderReads(id) > WorkDelivery.AHEAD_WAITS);
      awaitPlannerQueueEmpty();
    }

    assertEquals(0, planner.runs.get());
    assertEquals(WorkDelivery.AHEAD_WAITS + 1, leaderReads(id), "one look per delivery");
    assertEquals(revision, plain().store().get(id).orElseThrow().revision(), "nothing written");
  }

  @Test
  void aMaxDeliverAdvisoryReadOnALaggingReplicaReEnqueuesTheCycleTheLeaderHas() throws Exception {
    String id = "20261207-120000-exhausted";
    CycleState executing = inWorkspace(CycleFixtures.executing(), id);
    plain().store().create(executing);
    plain().handoff().publish(executing);
    long sequence =
        nc.jetStreamManagement()
            .getLastMessage(Topology.WORK_STREAM, Topology.workSubject(Phase.EXECUTE))
            .getSeq();
    lagOnce.put(id, 0L);
    // The advisory JetStream publishes when the message reached MaxDeliver, as the stream keeps it.
    nc.jetStream()
        .publish(
            Topology.maxDeliveriesSubject(Phase.EXECUTE),
            ("{\"stream_seq\":" + sequence + ",\"deliveries\":5}").getBytes(UTF_8));
    DeadLetters.Exhausted exhausted =
        plain().deadLetters().nextExhausted(Phase.EXECUTE, DEADLINE).orElseThrow();

    new MaxDeliveries(Phase.EXECUTE, plain().withStore(laggingStore()), 5).handle(exhausted);

    assertEquals(1, lagged.get(), "the first read found no cycle");
    assertEquals(1, leaderReads(id), "one read through the stream leader");
    assertEquals(1, plain().store().require(id).requeues(), "re-enqueued, not dropped");
    assertFreshWork(id, Phase.EXECUTE, sequence);
    assertThrows(
        JetStreamApiException.class,
        () -> nc.jetStreamManagement().getMessage(Topology.WORK_STREAM, sequence),
        "the message that reached MaxDeliver is deleted");
  }

  @Test
  void anOrphanALaggingReadShowsLeasedIsReEnqueuedByTheReconciler() throws Exception {
    String id = "20261207-120000-orphan";
    Instant now = Instant.now();
    CycleStore store = plain().store();
    store.create(inWorkspace(CycleFixtures.executing(), id));
    // Claimed with a lease that outlives the sweep below, then given back: at the leader nobody
    // holds the cycle; the lagging replica still has the lease.
    long leased =
        store
            .update(
                id,
                s ->
                    assertInstanceOf(
                            ClaimDecision.Claimed.class,
                            Transitions.claim(
                                s, 1, Phase.EXECUTE, "gone", Duration.ofHours(1), 5, now))
                        .state())
            .revision();
    store.update(id, s -> Transitions.releaseLease(s, "gone", now));
    lagOnce.put(id, leased);
    long sequenceBefore =
        nc.jetStreamManagement()
            .getStreamInfo(Topology.WORK_STREAM)
            .getStreamState()
            .getLastSequence();
    Reconciler reconciler =
        new Reconciler(
            laggingStore(),
            plain().handoff(),
            plain().events(),
            nc.jetStreamManagement(),
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            null,
            Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));

    assertTrue(reconciler.requeue(id), "the orphan the sweep found is re-enqueued");
    assertEquals(1, lagged.get(), "the re-read answered the leased revision");
    assertEquals(1, leaderReads(id), "one read through the stream leader");
    assertEquals(1, store.require(id).requeues());
    assertFreshWork(id, Phase.EXECUTE, sequenceBefore);
  }

  // ---- the worker and its lagging bucket ------------------------------------------------------

  private PhaseWorker planner() throws Exception {
    return planner.worker(nc, laggingStore(), ACK_WAIT, 1);
  }

  /** The cycles as a worker sees them through the lagging bucket; leader reads are real. */
  private CycleStore laggingStore() throws Exception {
    return new CycleStore(
        laggingOnce(nc.keyValue(Topology.CYCLES_BUCKET)),
        new BucketKeys(nc.jetStreamManagement(), Topology.CYCLES_BUCKET),
        nc.jetStream(),
        new StreamLeaderRead(nc, Topology.CYCLES_BUCKET));
  }

  /** The last work message of {@code phase} is a fresh one for {@code id}, after {@code after}. */
  private static void assertFreshWork(String id, Phase phase, long after) throws Exception {
    MessageInfo fresh =
        nc.jetStreamManagement().getLastMessage(Topology.WORK_STREAM, Topology.workSubject(phase));
    assertEquals(id, Json.read(fresh.getData(), WorkMessage.class).cycleId());
    assertTrue(fresh.getSeq() > after, "a fresh message, not the old one");
  }

  /** The bucket as a lagging replica serves it: the first get of a cycle in lagOnce is old. */
  private KeyValue laggingOnce(KeyValue kv) {
    Function<String, String> cycleOf = key -> key.substring(Topology.CYCLE_KEY_PREFIX.length());
    return (KeyValue)
        Proxy.newProxyInstance(
            KeyValue.class.getClassLoader(),
            new Class<?>[] {KeyValue.class},
            (proxy, method, args) -> {
              if (method.getName().equals("get")
                  && args != null
                  && args.length == 1
                  && args[0] instanceof String key) {
                Long old = lagOnce.remove(cycleOf.apply(key));
                if (old != null) {
                  lagged.incrementAndGet();
                  KeyValueEntry entry = old == 0 ? null : kv.get(key, old);
                  return entry;
                }
              }
              try {
                return method.invoke(kv, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private CycleState inWorkspace(CycleState state, String id) {
    return state.toBuilder().cycleId(id).workspace(Workspace.atPath(workspace.toString())).build();
  }

  private static WorkerServices plain() throws Exception {
    return WorkerServices.plain(nc, Handoff.unrestricted(nc));
  }

  private static void publish(WorkMessage work, String messageId) throws Exception {
    nc.jetStream()
        .publish(
            Topology.workSubject(work.phase()),
            new Headers().put(Handoff.MSG_ID, messageId),
            Json.write(work));
  }

  private static void awaitPlanned(String id, int iteration) throws Exception {
    CycleStore store = plain().store();
    Await.until(
        DEADLINE,
        "cycle " + id + " planned at iteration " + iteration,
        () -> {
          CycleState s = store.require(id);
          return s.iteration() == iteration && s.status() == Status.EXECUTING;
        });
  }

  private static void awaitPlannerQueueEmpty() {
    Await.until(
        DEADLINE,
        "the planner's work to be acknowledged",
        () -> {
          try {
            ConsumerInfo info =
                nc.jetStreamManagement()
                    .getConsumerInfo(Topology.WORK_STREAM, Topology.consumer(Phase.PLAN));
            return info.getNumPending() == 0 && info.getNumAckPending() == 0;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static int leaderReads(String id) {
    AtomicInteger reads = leaderReads.get(id);
    return reads == null ? 0 : reads.get();
  }
}
