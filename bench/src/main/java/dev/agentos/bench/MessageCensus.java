package dev.agentos.bench;

import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a cycle's messages go: a subscriber on {@code >} counts every message by what its subject
 * says it is (a KV read of the cycle, a pull request, an ack, a stream-info lookup, …) while cycles
 * run one after the other. It doubles the server's fan-out, so it runs apart from the timed runs;
 * the bench's own KV watch is off meanwhile, and cycle ends are read from the KV writes it sees.
 * Idle traffic is measured first and taken off.
 */
final class MessageCensus {
  private static final int IDLE_SLICES = 5;
  private static final String CYCLE_WRITES =
      "$KV." + Topology.CYCLES_BUCKET + "." + Topology.CYCLE_KEY_PREFIX;

  /** Messages per cycle by kind, in the order of {@link #kind}. */
  record Result(int cycles, Map<String, Double> perCycle) {
    double total() {
      return perCycle.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<String>> ends = new ConcurrentHashMap<>();

  static Result run(LocalCluster cluster, Workload workload, List<String> agent, int cycles)
      throws Exception {
    MessageCensus census = new MessageCensus();
    try (Connection nc = cluster.connect("agentos-bench-census")) {
      Dispatcher dispatcher = nc.createDispatcher(census::count);
      dispatcher.setPendingLimits(-1, -1);
      dispatcher.subscribe(">");
      nc.flush(Duration.ofSeconds(5));

      Map<String, Double> idle = census.idleRates();

      long started = System.nanoTime();
      for (int i = 0; i < cycles; i++) {
        String cycleId = workload.nextCycleId();
        Path workspace = workload.newWorkspace();
        CompletableFuture<String> end =
            census.ends.computeIfAbsent(cycleId, id -> new CompletableFuture<>());
        workload.submit(cycleId, workspace, agent);
        String status = Driver.await(end, Driver.CYCLE_DEADLINE, "cycle " + cycleId);
        if (!status.equals("COMPLETED")) {
          throw new IllegalStateException("census cycle " + cycleId + " ended " + status);
        }
      }
      // The last cycle's final event and ack trail its COMPLETED write by a hop or two.
      nc.flush(Duration.ofSeconds(5));
      Thread.sleep(100);
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Long> busy = census.snapshot();

      Map<String, Double> perCycle = new LinkedHashMap<>();
      busy.forEach(
          (kind, count) -> {
            double background = idle.getOrDefault(kind, 0.0) * seconds;
            double value = Math.max(0, count - background) / cycles;
            if (value >= 0.05) {
              perCycle.put(kind, value);
            }
          });
      return new Result(cycles, perCycle);
    }
  }

  /**
   * Messages per second by kind while no cycle runs: the median of one-second slices, so that a
   * reconciler sweep falling into one slice does not count as steady background traffic.
   */
  private Map<String, Double> idleRates() throws InterruptedException {
    Map<String, List<Long>> slices = new java.util.HashMap<>();
    for (int i = 0; i < IDLE_SLICES; i++) {
      counts.clear();
      Thread.sleep(1000);
      Map<String, Long> slice = snapshot();
      for (String kind : slice.keySet()) {
        slices.computeIfAbsent(kind, k -> new java.util.ArrayList<>());
      }
      slices.forEach((kind, list) -> list.add(slice.getOrDefault(kind, 0L)));
    }
    counts.clear();
    Map<String, Double> rates = new java.util.HashMap<>();
    slices.forEach(
        (kind, list) -> {
          List<Long> sorted = new java.util.ArrayList<>(list);
          while (sorted.size() < IDLE_SLICES) {
            sorted.add(0L); // the kind was absent from the first slices
          }
          sorted.sort(Long::compare);
          rates.put(kind, (double) sorted.get(IDLE_SLICES / 2));
        });
    return rates;
  }

  private void count(Message message) {
    String subject = message.getSubject();
    String replyTo = message.getReplyTo();
    boolean delivery = replyTo != null && replyTo.startsWith("$JS.ACK.");
    counts.computeIfAbsent(kind(subject, delivery), k -> new LongAdder()).increment();
    if (!delivery && subject.startsWith(CYCLE_WRITES) && message.getData() != null) {
      String status = CycleWatch.topLevelStatus(message.getData());
      if (status != null && CycleWatch.STOPPED.contains(status)) {
        String cycleId = subject.substring(CYCLE_WRITES.length());
        ends.computeIfAbsent(cycleId, id -> new CompletableFuture<>()).complete(status);
      }
    }
  }

  private Map<String, Long> snapshot() {
    Map<String, Long> copy =
        new java.util.TreeMap<>(
            java.util.Comparator.comparingInt(MessageCensus::order).thenComparing(k -> k));
    counts.forEach((kind, n) -> copy.put(kind, n.sum()));
    return copy;
  }

  private static final List<String> ORDER =
      List.of(
          "KV read: cycle state",
          "KV write: cycle state",
          "KV read: other buckets (history, standards, decisions, instructions)",
          "KV write: other buckets",
          "stream info (e.g. opening a KV bucket)",
          "consumer create",
          "consumer delete",
          "consumer info",
          "other JetStream API",
          "pull request (fetch work)",
          "ack / in-progress / nak",
          "work hand-off (publish)",
          "event (publish)",
          "object store chunk",
          "API request",
          "role endpoint / routed enqueue",
          "flow control, advisories",
          "replies (_INBOX)",
          "delivery: work message (to a pull)",
          "delivery: cycle state (KV watches, key listings)",
          "delivery: other buckets (key listings)",
          "delivery: other",
          "other");

  private static int order(String kind) {
    int i = ORDER.indexOf(kind);
    return i < 0 ? ORDER.size() : i;
  }

  /**
   * What a message is, from its subject and whether JetStream delivers it to a consumer (a delivery
   * carries the stream's subject and a {@code $JS.ACK} reply subject).
   */
  static String kind(String subject, boolean delivery) {
    if (delivery) {
      if (subject.startsWith(Topology.WORK_PREFIX)) {
        return "delivery: work message (to a pull)";
      }
      if (subject.startsWith("$KV." + Topology.CYCLES_BUCKET + ".")) {
        return "delivery: cycle state (KV watches, key listings)";
      }
      return subject.startsWith("$KV.")
          ? "delivery: other buckets (key listings)"
          : "delivery: other";
    }
    String cycles = "KV_" + Topology.CYCLES_BUCKET;
    if (subject.startsWith("$JS.API.DIRECT.GET.")
        || subject.startsWith("$JS.API.STREAM.MSG.GET.")) {
      return subject.contains(cycles)
          ? "KV read: cycle state"
          : "KV read: other buckets (history, standards, decisions, instructions)";
    }
    if (subject.startsWith("$KV.")) {
      return subject.startsWith("$KV." + Topology.CYCLES_BUCKET + ".")
          ? "KV write: cycle state"
          : "KV write: other buckets";
    }
    if (subject.startsWith("$JS.API.STREAM.INFO.")) {
      return "stream info (e.g. opening a KV bucket)";
    }
    if (subject.startsWith("$JS.API.CONSUMER.CREATE.")
        || subject.startsWith("$JS.API.CONSUMER.DURABLE.CREATE.")) {
      return "consumer create";
    }
    if (subject.startsWith("$JS.API.CONSUMER.DELETE.")) {
      return "consumer delete";
    }
    if (subject.startsWith("$JS.API.CONSUMER.INFO.")) {
      return "consumer info";
    }
    if (subject.startsWith("$JS.API.CONSUMER.MSG.NEXT.")) {
      return "pull request (fetch work)";
    }
    if (subject.startsWith("$JS.API.")) {
      return "other JetStream API";
    }
    if (subject.startsWith("$JS.ACK.")) {
      return "ack / in-progress / nak";
    }
    if (subject.startsWith("$JS.FC.") || subject.startsWith("$JS.EVENT.")) {
      return "flow control, advisories";
    }
    if (subject.startsWith("$O.")) {
      return "object store chunk";
    }
    if (subject.startsWith(Topology.WORK_PREFIX)) {
      return "work hand-off (publish)";
    }
    if (subject.startsWith(Topology.EVENTS_PREFIX)) {
      return "event (publish)";
    }
    if (subject.startsWith(Topology.API_GROUP + ".")) {
      return "API request";
    }
    if (subject.startsWith(Topology.PREFIX)) {
      return "role endpoint / routed enqueue";
    }
    if (subject.startsWith("_INBOX.")) {
      return "replies (_INBOX)";
    }
    return "other";
  }
}
