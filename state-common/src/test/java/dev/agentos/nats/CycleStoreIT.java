package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.Transitions;
import dev.agentos.state.Usage;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class CycleStoreIT {
  private static final int THREADS = 8;
  private static final int UPDATES_PER_THREAD = 50;

  private static TestNats nats;
  private static Connection nc;
  private static KeyValue kv;
  private static CycleStore store;

  @BeforeAll
  static void startNats() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(nc, TopologySettings.defaults());
    kv = nc.keyValue(Topology.CYCLES_BUCKET);
    store = CycleStore.open(nc);
  }

  @AfterAll
  static void stopNats() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  private static CycleState newCycle(String cycleId) {
    return CycleFixtures.queued(cycleId, CycleOptions.defaults());
  }

  private static long revisionOf(String cycleId) throws Exception {
    return kv.get(Topology.cycleKey(cycleId)).getRevision();
  }

  /** One token more and one attempt more: a lost update shows as a count below the total. */
  private static CycleState countOne(CycleState state) {
    return state.toBuilder()
        .attempts(state.attempts() + 1)
        .usage(state.usageOrNone().add(Phase.EXECUTE, new Usage(1, 0, 0, 0)))
        .build();
  }

  @Test
  void concurrentUpdatesOfOneCycleLoseNoWrite() throws Exception {
    String cycleId = "it-concurrent-updates";
    store.create(newCycle(cycleId));
    AtomicInteger applications = new AtomicInteger();
    ConcurrentLinkedQueue<CycleStore.Versioned> writes = new ConcurrentLinkedQueue<>();
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                for (int i = 0; i < UPDATES_PER_THREAD; i++) {
                  writes.add(
                      store.update(
                          cycleId,
                          state -> {
                            applications.incrementAndGet();
                            return countOne(state);
                          }));
                }
                return null;
              }));
    }
    assertTrue(ready.await(10, TimeUnit.SECONDS), "workers did not start");
    long started = System.nanoTime();
    go.countDown();
    for (Future<?> worker : workers) {
      worker.get(120, TimeUnit.SECONDS);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    pool.shutdown();

    int total = THREADS * UPDATES_PER_THREAD;
    CycleStore.Versioned last = store.get(cycleId).orElseThrow();
    assertEquals(total, last.state().attempts());
    assertEquals(total, last.state().usage().total().tokensIn());
    assertEquals(total, last.state().usage().phases().get(Phase.EXECUTE).tokensIn());

    // Every update wrote its own revision, and the n-th revision of the key holds count n: no
    // write was based on a state that another write had already replaced.
    List<CycleStore.Versioned> ordered =
        writes.stream().sorted(Comparator.comparingLong(CycleStore.Versioned::revision)).toList();
    assertEquals(total, ordered.size());
    assertEquals(total, ordered.stream().map(CycleStore.Versioned::revision).distinct().count());
    for (int n = 1; n <= total; n++) {
      assertEquals(n, ordered.get(n - 1).state().attempts(), "write number " + n);
    }
    assertEquals(last.revision(), ordered.get(total - 1).revision());

    // The bucket's own history of the key agrees with what the writers were told.
    Map<Long, Integer> countAtRevision =
        ordered.stream()
            .collect(
                Collectors.toMap(
                    CycleStore.Versioned::revision, v -> v.state().attempts(), (a, b) -> a));
    List<KeyValueEntry> history = kv.history(Topology.cycleKey(cycleId));
    assertEquals(Topology.CYCLE_HISTORY, history.size());
    int expected = total - history.size();
    for (KeyValueEntry entry : history) {
      expected++;
      int stored = CycleStore.decode(entry.getValue()).attempts();
      assertEquals(expected, stored, "history at revision " + entry.getRevision());
      assertEquals(countAtRevision.get(entry.getRevision()), stored);
    }

    System.out.printf(
        "CycleStoreIT: %d threads x %d updates = %d writes in %d ms; change applied %d times"
            + " (%d CAS retries)%n",
        THREADS,
        UPDATES_PER_THREAD,
        total,
        took.toMillis(),
        applications.get(),
        applications.get() - total);
    assertTrue(applications.get() >= total);
  }

  @Test
  void creatingTheSameCycleTwiceIsAConflictAndKeepsTheFirst() {
    String cycleId = "it-create-twice";
    store.create(newCycle(cycleId));
    CycleState second = newCycle(cycleId).toBuilder().project("other").build();
    AgentOsException e = assertThrows(AgentOsException.class, () -> store.create(second));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains(cycleId), e.getMessage());
    assertEquals("shop", store.require(cycleId).project());
  }

  @Test
  void updateOfAMissingCycleIsNotFoundAndNeverCallsTheChange() {
    AtomicInteger calls = new AtomicInteger();
    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () ->
                store.update(
                    "it-no-such-cycle",
                    s -> {
                      calls.incrementAndGet();
                      return s;
                    }));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals(0, calls.get());
    assertTrue(store.get("it-no-such-cycle").isEmpty());
  }

  @Test
  void updateReturningTheSameInstanceWritesNothing() throws Exception {
    String cycleId = "it-unchanged";
    long created = store.create(newCycle(cycleId)).revision();
    CycleStore.Versioned result = store.update(cycleId, state -> state);
    assertEquals(created, result.revision());
    assertEquals(created, revisionOf(cycleId));
    assertEquals(1, kv.history(Topology.cycleKey(cycleId)).size());
  }

  @Test
  void updateOnTopOfAKnownRevisionWritesWhenNobodyElseDid() throws Exception {
    String cycleId = "it-known-current";
    CycleStore.Versioned created = store.create(newCycle(cycleId));
    CycleStore.Versioned written = store.update(created, CycleStoreIT::countOne);
    assertEquals(revisionOf(cycleId), written.revision());
    assertEquals(1, store.require(cycleId).attempts());
  }

  @Test
  void updateOnTopOfAStaleRevisionRereadsAndKeepsTheOtherWrite() throws Exception {
    String cycleId = "it-known-stale";
    CycleStore.Versioned created = store.create(newCycle(cycleId));
    store.update(cycleId, CycleStoreIT::countOne); // someone else's write since `created`
    CycleStore.Versioned written = store.update(created, CycleStoreIT::countOne);
    assertEquals(revisionOf(cycleId), written.revision());
    assertEquals(2, store.require(cycleId).attempts(), "both writes are in the state");
  }

  @Test
  void updateWritesAnEqualButNewStateAsANewRevision() throws Exception {
    String cycleId = "it-equal-copy";
    long created = store.create(newCycle(cycleId)).revision();
    CycleStore.Versioned result = store.update(cycleId, state -> state.toBuilder().build());
    assertTrue(result.revision() > created);
    assertEquals(result.revision(), revisionOf(cycleId));
  }

  @Test
  void updateWhoseChangeThrowsWritesNothingAndPassesTheErrorOn() throws Exception {
    String cycleId = "it-invalid-move";
    long created = store.create(newCycle(cycleId)).revision();
    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () -> store.update(cycleId, s -> Transitions.approve(s, CycleFixtures.at(5))));
    assertEquals(ErrorCode.INVALID_TRANSITION, e.code());
    assertEquals(created, revisionOf(cycleId));
  }

  @Test
  void listsEachCycleOnceWhileCyclesAreWritten() throws Exception {
    for (int i = 0; i < 200; i++) {
      store.create(
          CycleFixtures.inStatus(Status.EXECUTING).toBuilder().cycleId("it-busy-" + i).build());
    }
    // Keys written during a listing come again with their new revision (46 of 50 listings had a
    // duplicate in a trial): the reconciler and `agentos status` must see each cycle once.
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; writing.get(); i++) {
                try {
                  kv.put(
                      Topology.cycleKey("it-busy-" + (i % 200)),
                      kv.get(Topology.cycleKey("it-busy-" + (i % 200))).getValue());
                } catch (Exception e) {
                  return;
                }
              }
            });
    writer.start();
    try {
      for (int listing = 0; listing < 20; listing++) {
        List<String> ids = store.cycleIds();
        assertEquals(new HashSet<>(ids).size(), ids.size(), "a cycle listed twice");
      }
    } finally {
      writing.set(false);
      writer.join();
    }
  }

  @Test
  void fieldsWrittenByANewerVersionSurviveAReadModifyWrite() throws Exception {
    String cycleId = "it-newer-fields";
    ObjectNode newer = Json.mapper().valueToTree(newCycleInExpress(cycleId));
    newer.put("schema", "agentos.cycle/v1.7");
    newer.putObject("labels").put("team", "payments");
    ObjectNode iteration = (ObjectNode) newer.at("/iterations/0");
    iteration.put("planner_model", "gpt-5");
    ((ObjectNode) newer.at("/iterations/0/plan")).put("estimated_minutes", 50);
    ((ObjectNode) newer.at("/iterations/0/plan/steps/1")).putArray("depends_on").add("1");
    ((ObjectNode) newer.at("/iterations/0/execution/steps/0"))
        .putObject("tests")
        .put("passed", 14)
        .put("failed", 0);
    // A newer writer stores the document itself; this version only reads and updates it.
    kv.create(Topology.cycleKey(cycleId), Json.write(newer));

    store.update(cycleId, s -> Transitions.cancel(s, CycleFixtures.at(300)));

    JsonNode stored = Json.tree(kv.get(Topology.cycleKey(cycleId)).getValue());
    assertEquals("CANCELLED", stored.get("status").asText(), "the change was applied");
    assertEquals("agentos.cycle/v1.7", stored.get("schema").asText());
    assertEquals("payments", stored.at("/labels/team").asText());
    assertEquals("gpt-5", stored.at("/iterations/0/planner_model").asText());
    assertEquals(50, stored.at("/iterations/0/plan/estimated_minutes").asInt());
    assertEquals("1", stored.at("/iterations/0/plan/steps/1/depends_on/0").asText());
    assertEquals(14, stored.at("/iterations/0/execution/steps/0/tests/passed").asInt());
    assertEquals(newer.at("/iterations/0/express"), stored.at("/iterations/0/express"));
  }

  private static CycleState newCycleInExpress(String cycleId) {
    CycleState expressing = CycleFixtures.inStatus(Status.EXPRESSING);
    return expressing.toBuilder().cycleId(cycleId).build();
  }

  @Test
  void storedStateOfANewerMinorVersionWithExtraFieldsDecodes() throws Exception {
    String cycleId = "it-minor-version";
    ObjectNode newer = Json.mapper().valueToTree(newCycleInExpress(cycleId));
    newer.put("schema", "agentos.cycle/v1.7");
    newer.put("priority", 3);
    // Also inside records that keep no extras: skipped, never an error.
    ((ObjectNode) newer.at("/workspace")).put("sparse_checkout", true);
    ((ObjectNode) newer.at("/usage/total")).put("cached_tokens", 120);
    kv.create(Topology.cycleKey(cycleId), Json.write(newer));

    CycleState decoded = store.require(cycleId);
    assertEquals("agentos.cycle/v1.7", decoded.schema());
    assertEquals(Status.EXPRESSING, decoded.status());
    assertEquals(3, decoded.extra().get("priority").asInt());
    assertEquals("/repos/shop", decoded.workspace().path());
    assertEquals(newCycleInExpress(cycleId).currentIteration(), decoded.currentIteration());
  }

  @Test
  void storedStateOfANewerMajorVersionIsRefusedWithAnUpgradeHint() {
    ObjectNode v2 = Json.mapper().valueToTree(newCycle("it-major"));
    v2.put("schema", "agentos.cycle/v2");
    AgentOsException e =
        assertThrows(AgentOsException.class, () -> CycleStore.decode(Json.write(v2)));
    assertEquals(ErrorCode.INTERNAL, e.code());
    assertTrue(e.getMessage().contains("upgrade"), e.getMessage());
  }

  @Test
  void aListingMissesNoCycleRewrittenWhileItRuns() throws Exception {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      all.add("it-rewritten-" + i);
    }
    CycleState template = CycleFixtures.inStatus(Status.EXECUTING);
    List<java.util.concurrent.CompletableFuture<?>> created = new ArrayList<>();
    for (String id : all) {
      created.add(
          nc.jetStream()
              .publishAsync(
                  "$KV." + Topology.CYCLES_BUCKET + "." + Topology.cycleKey(id),
                  Json.write(template.toBuilder().cycleId(id).build())));
    }
    for (java.util.concurrent.CompletableFuture<?> ack : created) {
      ack.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    // A few keys rewritten nonstop, far more often than the bucket keeps revisions (5): a listing
    // that delivers each key's last message loses a key whose listed message is replaced and
    // removed before its turn comes.
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writerIndex = w;
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; writing.get(); i++) {
                  // Hot keys spread over the listing: early, middle and late in stream order.
                  String key =
                      Topology.cycleKey(all.get((writerIndex * 700 + (i % 4) * 97) % 2000));
                  try {
                    kv.put(key, kv.get(key).getValue());
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      writer.start();
      writers.add(writer);
    }
    try {
      for (int listing = 0; listing < 30; listing++) {
        List<String> ids = store.cycleIds();
        Set<String> listed = new HashSet<>(ids);
        assertEquals(listed.size(), ids.size(), "a cycle listed twice");
        List<String> missing = all.stream().filter(id -> !listed.contains(id)).toList();
        assertEquals(List.of(), missing, "listing " + listing + " missed cycles");
      }
    } finally {
      writing.set(false);
      for (Thread writer : writers) {
        writer.join();
      }
    }
  }

  @Test
  void cycleIdsListsEveryStoredCycle() {
    Set<String> created = Set.of("it-list-a", "it-list-b", "it-list-c");
    created.forEach(id -> store.create(newCycle(id)));
    assertTrue(new HashSet<>(store.cycleIds()).containsAll(created), store.cycleIds().toString());
    assertFalse(store.cycleIds().contains("cycle.it-list-a"));
  }

  @Test
  void getReturnsTheStateAndItsRevision() throws Exception {
    CycleState cycle = newCycle("it-get");
    long revision = store.create(cycle).revision();
    CycleStore.Versioned read = store.get("it-get").orElseThrow();
    assertEquals(revision, read.revision());
    assertEquals(cycle, read.state());
    assertSame(Status.QUEUED, read.state().status());
  }

  // ---- topology -------------------------------------------------------------------------------

  @RepeatedTest(10)
  void ensureRunConcurrentlyFromTwoConnectionsCreatesTheWholeTopologyOnce() throws Exception {
    try (TestNats fresh = TestNats.start();
        Connection first = fresh.connect();
        Connection second = fresh.connect()) {
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> runs = new ArrayList<>();
      for (Connection connection : List.of(first, second)) {
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  Topology.ensure(connection, TopologySettings.defaults());
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();

      JetStreamManagement jsm = first.jetStreamManagement();
      Set<String> streams = new HashSet<>(jsm.getStreamNames());
      assertTrue(
          streams.containsAll(
              Set.of(
                  Topology.WORK_STREAM,
                  Topology.EVENTS_STREAM,
                  Topology.TASKS_STREAM,
                  Topology.DLQ_STREAM)),
          streams.toString());
      assertEquals(
          Set.of("planner", "executor", "express", "review"),
          new HashSet<>(jsm.getConsumerNames(Topology.WORK_STREAM)));
      for (Phase phase : Phase.values()) {
        ConsumerInfo info = jsm.getConsumerInfo(Topology.WORK_STREAM, Topology.consumer(phase));
        assertEquals(
            Topology.workSubject(phase), info.getConsumerConfiguration().getFilterSubject());
      }
      assertEquals(List.of(Topology.INTAKE_CONSUMER), jsm.getConsumerNames(Topology.TASKS_STREAM));
      assertTrue(
          first
              .keyValueManagement()
              .getBucketNames()
              .containsAll(
                  List.of(
                      Topology.CYCLES_BUCKET,
                      Topology.DECISIONS_BUCKET,
                      Topology.STANDARDS_BUCKET,
                      Topology.INSTRUCTIONS_BUCKET,
                      Topology.HISTORY_BUCKET,
                      Topology.PROJECTS_BUCKET)));
      assertEquals(
          Topology.CYCLE_HISTORY,
          first.keyValueManagement().getStatus(Topology.CYCLES_BUCKET).getMaxHistoryPerKey());
      assertTrue(first.objectStoreManagement().getBucketNames().contains(Topology.ARTIFACTS_STORE));
      // work, events, tasks, DLQ, advisories + 6 KV streams + 1 object store stream, nothing else.
      assertEquals(12, streams.size(), streams.toString());
    }
  }
}
