package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.history.HistoryRecord;
import dev.agentos.json.Json;
import dev.agentos.nats.BucketKeys;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.SettledCycles;
import dev.agentos.nats.StreamLeaderRead;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.worker.Reconciler;
import io.nats.client.JetStream;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A team's year in the buckets: {@code cycles} ended cycles (copies of a real completed cycle's
 * state) and {@code history} history records (of a real record's size), then what reads them costs:
 * a reconciler sweep and how many cycles it reads, a {@code list} page, {@code history} with
 * filters, {@code stats} (from the running totals, after rebuilding them from the records), and a
 * service's start-up.
 */
final class StorageRun {
  static final int PROJECTS = 20;
  static final List<String> INSTRUCTIONS =
      List.of("execute-tasks", "create-spec", "analyze-product", "fix-bug", "review-code");
  private static final int WINDOW = 4_000;

  /** Each bucket's maximum for this scenario: 100 000 states of 2.8 KB twice, a million records. */
  static final long BUCKET_BYTES = 2L * 1024 * 1024 * 1024;

  private static final Duration SLOW_REQUEST = Duration.ofMinutes(10);
  private static final Duration INDEX_DEADLINE = Duration.ofMinutes(15);

  record Result(
      int cycles,
      int history,
      int stateBytes,
      int recordBytes,
      Duration fillCycles,
      Duration fillHistory,
      Duration firstSweep,
      long firstSweepReads,
      Duration steadySweep,
      long steadySweepReads,
      Duration freshIndexLoad,
      long failedCycles,
      Latencies listPage,
      Latencies historyFiltered,
      Latencies statsRebuild,
      Latencies stats,
      Latencies statsProject,
      Duration startup,
      Map<String, String> notes) {}

  static Result run(
      LocalCluster cluster, Driver driver, List<String> agent, int cycles, int history)
      throws Exception {
    CycleState real = driver.state(driver.runOne(agent).cycleId());
    byte[] template = Json.write(real);
    HistoryRecord record = HistoryRecord.of(real);
    JetStream js = cluster.nc().jetStream();
    Instant yearAgo = Instant.now().minus(Duration.ofDays(365));

    long started = System.nanoTime();
    long failed = 0;
    try (Publisher out = new Publisher(js)) {
      for (int i = 0; i < cycles; i++) {
        String id = "storage-c" + i;
        Status status = status(i);
        failed += status == Status.FAILED ? 1 : 0;
        ObjectNode state = (ObjectNode) Json.tree(template);
        state.put("cycle_id", id);
        state.put("project", project(i));
        state.put("status", status.name());
        state.put("created_at", yearAgo.plusSeconds(300L * i).toString());
        out.publish(
            "$KV." + Topology.CYCLES_BUCKET + "." + Topology.cycleKey(id), Json.write(state));
      }
    }
    Duration fillCycles = Duration.ofNanos(System.nanoTime() - started);
    progress("%d ended cycles of %d bytes stored in %s", cycles, template.length, fillCycles);

    started = System.nanoTime();
    try (Publisher out = new Publisher(js)) {
      for (int i = 0; i < history; i++) {
        HistoryRecord r = historyRecord(record, i, yearAgo);
        out.publish("$KV." + Topology.HISTORY_BUCKET + "." + r.key(), Json.write(r));
      }
    }
    Duration fillHistory = Duration.ofNanos(System.nanoTime() - started);
    progress(
        "%d history records of %d bytes stored in %s",
        history, Json.write(record).length, fillHistory);

    // The reconciler as every service runs it, here with a count of the cycles it reads.
    AtomicLong reads = new AtomicLong();
    Duration firstSweep;
    Duration steadySweep;
    Duration freshIndexLoad;
    long firstReads;
    long steadyReads;
    CycleStore counted =
        new CycleStore(
            countingGets(cluster.nc().keyValue(Topology.CYCLES_BUCKET), reads),
            new BucketKeys(cluster.nc().jetStreamManagement(), Topology.CYCLES_BUCKET),
            cluster.nc().jetStream(),
            new StreamLeaderRead(cluster.nc(), Topology.CYCLES_BUCKET));
    started = System.nanoTime();
    SettledCycles index = SettledCycles.follow(cluster.nc());
    awaitIndex("the cycles' keys loaded", index::loaded);
    Duration indexLoad = Duration.ofNanos(System.nanoTime() - started);
    progress("settled-cycles index loaded %d keys in %s", index.size(), indexLoad);
    try (Reconciler reconciler =
        new Reconciler(
                counted,
                Handoff.unrestricted(cluster.nc()),
                new Events(cluster.nc(), Clock.systemUTC()),
                cluster.nc().jetStreamManagement(),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Duration.ofHours(1),
                null,
                Clock.systemUTC())
            .indexedBy(index)) {
      started = System.nanoTime();
      reconciler.sweep();
      firstSweep = Duration.ofNanos(System.nanoTime() - started);
      firstReads = reads.getAndSet(0);
      progress("reconciler sweep: first %s (%d reads, settling each)", firstSweep, firstReads);
      awaitIndex("every ended cycle settled", () -> index.settledCount() >= cycles);
      started = System.nanoTime();
      reconciler.sweep();
      steadySweep = Duration.ofNanos(System.nanoTime() - started);
      steadyReads = reads.get();
    }
    progress(
        "reconciler sweep: steady %s (%d reads; %d cycles FAILED)",
        steadySweep, steadyReads, failed);
    started = System.nanoTime();
    try (SettledCycles fresh = SettledCycles.follow(cluster.nc())) {
      awaitIndex("a fresh index loaded", fresh::loaded);
      freshIndexLoad = Duration.ofNanos(System.nanoTime() - started);
      progress(
          "a fresh service's index of %d settled cycles loaded in %s",
          fresh.settledCount(), freshIndexLoad);
    }

    // Each read may fail at this scale (a scan that outlasts its deadline): say so, measure the
    // rest.
    Map<String, String> notes = new LinkedHashMap<>();
    Latencies list = repeat(cluster, notes, "list", 10, i -> "{\"limit\":20,\"cursor\":\"\"}");
    Latencies historyFiltered =
        repeat(
            cluster,
            notes,
            "history",
            3,
            i -> "{\"project\":\"" + project(i) + "\",\"status\":\"FAILED\"}");
    Latencies rebuild = repeat(cluster, notes, "stats rebuild", 1, i -> "{\"rebuild\":true}");
    Latencies stats = repeat(cluster, notes, "stats", 10, i -> "{}");
    Latencies statsProject =
        repeat(
            cluster, notes, "stats of a project", 10, i -> "{\"project\":\"" + project(i) + "\"}");

    started = System.nanoTime();
    cluster.restart("express", cluster.properties());
    Duration startup = Duration.ofNanos(System.nanoTime() - started);
    progress("express restarted and ready in %s", startup);

    return new Result(
        cycles,
        history,
        template.length,
        Json.write(record).length,
        fillCycles,
        fillHistory,
        firstSweep,
        firstReads,
        steadySweep,
        steadyReads,
        freshIndexLoad,
        failed,
        list,
        historyFiltered,
        rebuild,
        stats,
        statsProject,
        startup,
        notes);
  }

  private static void awaitIndex(String what, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + INDEX_DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + INDEX_DEADLINE + ": " + what);
      }
      Thread.sleep(20); // polling a condition with a deadline
    }
  }

  /** A figure as soon as it is measured: a long run that is stopped still leaves its figures. */
  private static void progress(String format, Object... args) {
    System.err.println("bench: storage: " + String.format(format, args));
  }

  /** 80 % COMPLETED, 15 % FAILED, 5 % CANCELLED. */
  private static Status status(int i) {
    int bucket = i % 20;
    return bucket < 16 ? Status.COMPLETED : bucket < 19 ? Status.FAILED : Status.CANCELLED;
  }

  private static String project(int i) {
    return "project-" + (i % PROJECTS);
  }

  private static HistoryRecord historyRecord(HistoryRecord real, int i, Instant yearAgo) {
    Status status = status(i);
    Instant ended = yearAgo.plusMillis(31_536L * i);
    return new HistoryRecord(
        "storage-h" + i,
        project(i),
        INSTRUCTIONS.get(i % INSTRUCTIONS.size()),
        real.spec(),
        status,
        1 + i % 3,
        status == Status.CANCELLED ? null : 50 + i % 50,
        real.band(),
        real.tokens() + i % 1000,
        real.costUsd(),
        real.wallSeconds(),
        real.agentSeconds(),
        real.models(),
        ended.minusSeconds(600),
        ended,
        null,
        status == Status.FAILED ? real.errorCode() : null);
  }

  /**
   * {@code times} requests to {@code endpoint}, timed; the first failure ends them and is noted
   * under {@code what}.
   */
  private static Latencies repeat(
      LocalCluster cluster,
      Map<String, String> notes,
      String what,
      int times,
      java.util.function.IntFunction<String> body) {
    Latencies latencies = new Latencies();
    String endpoint = what.startsWith("stats") ? "stats" : what;
    try {
      for (int i = 0; i < times; i++) {
        latencies.add(timed(cluster, endpoint, body.apply(i)));
      }
    } catch (RuntimeException e) {
      notes.put(what, e.getMessage());
    }
    progress(
        "%s: %d requests, p50 %s ms%s",
        what,
        latencies.count(),
        latencies.count() == 0 ? "-" : String.format("%.1f", latencies.p50()),
        notes.containsKey(what) ? " (" + notes.get(what) + ")" : "");
    return latencies;
  }

  /** A request's round trip, in nanoseconds; an error reply fails the run with its message. */
  private static long timed(LocalCluster cluster, String endpoint, String body) {
    long started = System.nanoTime();
    Message reply;
    try {
      // requestWithTimeout: a plain request's future is cancelled after the connection's
      // cleanup interval (5 s), however long one waits on it.
      reply =
          cluster
              .nc()
              .requestWithTimeout(
                  Topology.apiSubject(endpoint),
                  body.getBytes(StandardCharsets.UTF_8),
                  SLOW_REQUEST)
              .get(SLOW_REQUEST.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(endpoint + " " + body + " gave no reply: " + e, e);
    }
    long took = System.nanoTime() - started;
    JsonNode json = Json.tree(reply.getData());
    if (json.has("error")) {
      throw new IllegalStateException(endpoint + " " + body + " failed: " + json.get("error"));
    }
    return took;
  }

  /** {@code kv} with every {@code get} counted: the reads a sweep makes. */
  private static KeyValue countingGets(KeyValue kv, AtomicLong reads) {
    return (KeyValue)
        Proxy.newProxyInstance(
            KeyValue.class.getClassLoader(),
            new Class<?>[] {KeyValue.class},
            (proxy, method, args) -> {
              if (method.getName().equals("get")) {
                reads.incrementAndGet();
              }
              try {
                return method.invoke(kv, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Asynchronous publishes with at most {@link #WINDOW} unacknowledged; close waits for all. */
  private static final class Publisher implements AutoCloseable {
    private final JetStream js;
    private final Deque<CompletableFuture<PublishAck>> pending = new ArrayDeque<>();

    Publisher(JetStream js) {
      this.js = js;
    }

    void publish(String subject, byte[] body) throws Exception {
      if (pending.size() >= WINDOW) {
        pending.removeFirst().get(2, TimeUnit.MINUTES);
      }
      pending.addLast(js.publishAsync(subject, body));
    }

    @Override
    public void close() throws Exception {
      while (!pending.isEmpty()) {
        pending.removeFirst().get(2, TimeUnit.MINUTES);
      }
    }
  }
}
