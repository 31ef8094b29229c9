package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.api.CycleEndings;
import dev.agentos.api.Submissions;
import dev.agentos.history.HistoryStore;
import dev.agentos.nats.BucketKeys;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.SettledCycles;
import dev.agentos.nats.StreamLeaderRead;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Budget;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.GitRef;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.Transitions;
import dev.agentos.state.Workspace;
import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.ObjectStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reconciler's sweep reads running cycles every time, but an ended one (FAILED included) only
 * until its ending is recorded and it is settled: re-reading every cycle ever run on every sweep of
 * every service grows without bound.
 */
class ReconcilerIT {
  private static final Duration ORPHAN_AFTER = Duration.ofMinutes(10);
  private static final int ENDED_FAILED = 200;
  private static final TopologySettings SETTINGS =
      new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1));

  private static TestNats nats;
  private static Connection nc;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(nc, SETTINGS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  /** Each run sweeps only its own cycles: an earlier run's orphan would be re-enqueued again. */
  @BeforeEach
  void emptyTheCyclesBucket() throws Exception {
    KeyValue cycles = nc.keyValue(Topology.CYCLES_BUCKET);
    for (String key : cycles.keys()) {
      cycles.purge(key);
    }
  }

  @ParameterizedTest(name = "recording endings: {0}")
  @ValueSource(booleans = {false, true})
  void readsEndedCyclesUntilSettledThenNeverUnlessTheyChange(boolean recordingEndings)
      throws Exception {
    String run = recordingEndings ? "e-" : "n-";
    Set<String> read = ConcurrentHashMap.newKeySet();
    AtomicLong reads = new AtomicLong();
    CycleStore store =
        new CycleStore(
            countingGets(nc.keyValue(Topology.CYCLES_BUCKET), read, reads, run),
            new BucketKeys(nc.jetStreamManagement(), Topology.CYCLES_BUCKET),
            nc.jetStream(),
            new StreamLeaderRead(nc, Topology.CYCLES_BUCKET));
    for (int i = 0; i < 10; i++) {
      store.create(withId(CycleFixtures.inStatus(Status.COMPLETED), run + "done-" + i));
    }
    for (int i = 0; i < ENDED_FAILED; i++) {
      store.create(withId(CycleFixtures.inStatus(Status.FAILED), run + "failed-" + i));
    }
    store.create(withId(CycleFixtures.inStatus(Status.CANCELLED), run + "cancelled-1"));
    // Its lease ran out long ago and nobody touched it since: the sweep must re-enqueue it.
    store.create(withId(CycleFixtures.inStatus(Status.EXECUTING), run + "orphan-1"));
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    SettledCycles index = SettledCycles.follow(nc);
    try (Reconciler reconciler = reconciler(store, now, recordingEndings).indexedBy(index)) {
      Await.until(Duration.ofSeconds(30), "the cycles' keys loaded", index::loaded);

      assertEquals(1, reconciler.sweep(), "the orphaned cycle is re-enqueued");
      assertTrue(
          read.containsAll(Set.of("done-0", "done-9", "cancelled-1", "failed-0", "orphan-1")));
      Await.until(
          Duration.ofSeconds(30),
          "every ended cycle settled",
          () ->
              index.settledAt(run + "done-9").isPresent()
                  && index.settledAt(run + "cancelled-1").isPresent()
                  && IntStream.range(0, ENDED_FAILED)
                      .allMatch(i -> index.settledAt(run + "failed-" + i).isPresent()));

      read.clear();
      reads.set(0);
      reconciler.sweep();
      assertEquals(
          Set.of("orphan-1"), read, "the next sweep reads no ended cycle, FAILED included");
      assertEquals(1, reads.get());

      // Resumed: its next revision is not settled, so the sweep reads it again.
      store.update(
          run + "failed-3", s -> s.toBuilder().status(Status.QUEUED).updatedAt(now.get()).build());
      Await.until(
          Duration.ofSeconds(30),
          "the resumed cycle known as unsettled",
          () -> index.settledAt(run + "failed-3").isEmpty());
      read.clear();
      reconciler.sweep();
      assertEquals(Set.of("failed-3", "orphan-1"), read);
    }
  }

  @Test
  void anEndingTheHistoryBucketRefusedIsRecordedByALaterSweep() throws Exception {
    CycleStore store = CycleStore.open(nc);
    CycleState done =
        store.create(withId(CycleFixtures.inStatus(Status.COMPLETED), "h-done-1")).state();
    Reconciler reconciler = reconciler(store, new AtomicReference<>(Instant.now()), true);
    HistoryStore history = HistoryStore.open(nc);
    CycleEndings endings = endings(store);
    nc.keyValueManagement().delete(Topology.HISTORY_BUCKET);
    try {
      assertFalse(endings.ended(done), "no history bucket: the ending is not recorded");
      reconciler.sweep(); // cannot record it either, and must not stop the sweep
    } finally {
      Topology.ensure(nc, SETTINGS);
    }
    assertFalse(history.hasEnding(done.project(), done.cycleId(), done.updatedAt()));

    reconciler.sweep();

    assertTrue(history.hasEnding(done.project(), done.cycleId(), done.updatedAt()));
  }

  @Test
  void removesEndedCyclesStatesAndArtifactsAfterRetentionAndKeepsTheirHistory() throws Exception {
    CycleStore store = CycleStore.open(nc);
    ObjectStore objects = nc.objectStore(Topology.ARTIFACTS_STORE);
    Artifacts artifacts = new Artifacts(objects);
    CycleState ended = CycleFixtures.inStatus(Status.COMPLETED);
    ArtifactRef recap = artifacts.put("r-old/recap.md", "# Recap\n".repeat(3000));
    CycleState old =
        store
            .create(
                withId(ended, "r-old")
                    .withCurrentIteration(
                        ended
                            .currentIteration()
                            .withExpress(ExpressResult.of("done", null, recap))))
            .state();
    CycleState recent =
        store
            .create(withId(ended, "r-recent").toBuilder().updatedAt(Instant.now()).build())
            .state();
    CycleState running =
        store.create(withId(CycleFixtures.inStatus(Status.EXECUTING), "r-run")).state();
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    SettledCycles index = SettledCycles.follow(nc);
    Reconciler reconciler =
        reconciler(store, now, true)
            .retaining(new CycleRetention(Duration.ofDays(1), store, objects))
            .indexedBy(index);
    Await.until(Duration.ofSeconds(30), "the cycles' keys loaded", index::loaded);

    reconciler.sweep();

    assertTrue(store.get("r-old").isEmpty(), "the old ended cycle's state is removed");
    assertEquals(null, objects.getInfo("r-old/recap.md"), "and its artifact");
    assertTrue(
        HistoryStore.open(nc).hasEnding(old.project(), "r-old", old.updatedAt()),
        "its history record stays");
    assertTrue(store.get("r-recent").isPresent(), "a cycle that ended lately stays");
    assertTrue(store.get("r-run").isPresent(), "a running cycle stays, however old");
    assertEquals(recent.updatedAt(), store.require("r-recent").updatedAt());
    assertEquals(running.status(), store.require("r-run").status());

    // Settled by that sweep, and read again only once it is due for removal.
    Await.until(
        Duration.ofSeconds(30),
        "the recent cycle settled",
        () -> index.settledAt("r-recent").isPresent());
    now.set(Instant.now().plus(Duration.ofDays(2)));
    reconciler.sweep();
    assertTrue(store.get("r-recent").isEmpty(), "a settled cycle is removed once due");
    reconciler.close();
  }

  @Test
  void aCycleWaitingForAnAnswerIsNeverTakenForStuckHoweverLongItWaits() throws Exception {
    CycleStore store = CycleStore.open(nc);
    CycleState waiting = withId(CycleFixtures.inStatus(Status.NEEDS_INPUT), "q-waiting");
    store.create(waiting);
    long revision = store.get("q-waiting").orElseThrow().revision();
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    Reconciler reconciler = reconciler(store, now, false);

    assertEquals(0, reconciler.sweep());
    now.set(now.get().plus(ORPHAN_AFTER.multipliedBy(100)));
    assertEquals(0, reconciler.sweep(), "days later it still waits for a person, not a worker");

    assertEquals(revision, store.get("q-waiting").orElseThrow().revision(), "nothing written");
    assertEquals(Status.NEEDS_INPUT, store.require("q-waiting").status());
  }

  @Test
  void aCycleWhoseStepsRunInParallelIsHeldByALiveStepLeaseAndReEnqueuedOnceNoneIsLeft()
      throws Exception {
    CycleStore store = CycleStore.open(nc);
    Instant started = Instant.now();
    CycleState planned =
        Transitions.planned(
                CycleFixtures.planning().toBuilder()
                    .cycleId("p-steps")
                    .workspace(new Workspace(null, new GitRef("https://git.example/a.git", "main")))
                    .build(),
                Plan.of(
                    "tasks.md",
                    List.of(
                        PlanStep.of("1", "A", "", "1"),
                        PlanStep.of("2", "B", "", "2").withDependsOn(List.of("1"))),
                    List.of()),
                started)
            .toBuilder()
            .lease(null)
            .build();
    ClaimDecision claimed =
        ParallelSteps.claim(
            planned, 1, "1", "executor-x-1/1", Duration.ofSeconds(30), 5, 4, started);
    store.create(((ClaimDecision.Claimed) claimed).state());
    AtomicReference<Instant> now = new AtomicReference<>(started.plusSeconds(10));
    Reconciler reconciler = reconciler(store, now, false);

    assertEquals(0, reconciler.sweep(), "its running step's replica holds the cycle");
    // Quiet for longer than orphanAfter: re-enqueued whatever this class's earlier tests left in
    // the EXECUTE consumer.
    now.set(started.plus(ORPHAN_AFTER).plusSeconds(60));
    assertEquals(1, reconciler.sweep(), "the step's lease ended and nobody took it");
    CycleState requeued = store.require("p-steps");
    assertEquals(1, requeued.requeues());
    assertEquals(Status.EXECUTING, requeued.status());
  }

  private static Reconciler reconciler(
      CycleStore store, AtomicReference<Instant> now, boolean recordingEndings) throws Exception {
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    return new Reconciler(
        store,
        Handoff.unrestricted(nc),
        new Events(nc, clock),
        nc.jetStreamManagement(),
        Duration.ofHours(1),
        Duration.ofSeconds(1),
        ORPHAN_AFTER,
        recordingEndings ? endings(store) : null,
        clock);
  }

  private static CycleEndings endings(CycleStore store) throws Exception {
    Clock clock = Clock.systemUTC();
    return new CycleEndings(
        HistoryStore.open(nc),
        new Submissions(
            store,
            Handoff.unrestricted(nc),
            new Events(nc, clock),
            WorkspacePaths.unconfined(),
            Budget.unlimited(),
            null, // never asked: these cycles start no next link
            dev.agentos.api.OperatorRules.NONE,
            clock));
  }

  private static CycleState withId(CycleState state, String cycleId) {
    return state.toBuilder().cycleId(cycleId).build();
  }

  /** The bucket, noting the cycle id of every single-key read of this run's cycles. */
  private static KeyValue countingGets(
      KeyValue kv, Set<String> read, AtomicLong reads, String run) {
    return (KeyValue)
        Proxy.newProxyInstance(
            KeyValue.class.getClassLoader(),
            new Class<?>[] {KeyValue.class},
            (proxy, method, args) -> {
              if (method.getName().equals("get") && args != null && args[0] instanceof String key) {
                String cycleId = key.substring(Topology.CYCLE_KEY_PREFIX.length());
                if (cycleId.startsWith(run)) {
                  reads.incrementAndGet();
                  read.add(cycleId.substring(run.length()));
                }
              }
              try {
                return method.invoke(kv, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
