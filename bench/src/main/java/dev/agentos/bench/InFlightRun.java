package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many cycles in flight at once: {@code inFlight} cycles whose agent step sleeps {@link #STEP}, one
 * replica per role with its concurrency raised to hold them all. While every step runs, it counts
 * what the leases cost (writes to {@code agentos-cycles} and all messages per second), samples each
 * service's heap, threads and CPU and the servers' CPU, and afterwards counts the leases lost (a
 * step that started a second attempt). The cycles are cancelled at the end.
 */
final class InFlightRun {
  static final Duration STEP = Duration.ofSeconds(60);
  static final Duration WINDOW = Duration.ofSeconds(30);
  private static final Duration FILL_DEADLINE = Duration.ofMinutes(10);
  private static final int OTHER_ROLES_CONCURRENCY = 64;
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

  /**
   * One service's use while every step runs: its heap as the collector left it (garbage not yet
   * collected included), its live heap (what a full collection leaves), threads and CPU.
   */
  record ServiceUse(
      long heapUsedBytes, long heapLiveBytes, long heapTotalBytes, int threads, double cores) {}

  record Result(
      int inFlight,
      int running,
      Duration fill,
      Duration window,
      double cycleWritesPerSecond,
      double renewalsPerSecond,
      int mostRenewalsOfOneStep,
      double inProgressPerSecond,
      double messagesPerSecond,
      double expectedRenewalsPerSecond,
      Map<String, ServiceUse> services,
      double serverCores,
      int leasesLost) {}

  static Result run(LocalCluster cluster, Workload workload, List<String> agent, int inFlight)
      throws Exception {
    Map<String, String> properties = new LinkedHashMap<>(cluster.properties());
    properties.put("agentos.worker.max-ack-pending", String.valueOf(inFlight + 100));
    properties.put("agentos.worker.concurrency", String.valueOf(OTHER_ROLES_CONCURRENCY));
    for (String role : List.of("planner", "express", "review")) {
      cluster.restart(role, properties);
    }
    Map<String, String> executor = new LinkedHashMap<>(properties);
    executor.put("agentos.worker.concurrency", String.valueOf(inFlight + 50));
    cluster.restart("executor", executor);

    Map<String, String> steps = new ConcurrentHashMap<>(); // cycle -> "phase/step attempts"
    LongAdder cycleWrites = new LongAdder();
    LongAdder inProgress = new LongAdder(); // the heartbeats' "+WPI" acks of work messages
    // A write that leaves the same step running is a renewal (or a running step's checkpoint):
    // those are what must stay at one per running step per interval.
    LongAdder renewals = new LongAdder();
    Map<String, Integer> renewalsInWindow = new ConcurrentHashMap<>();
    AtomicBoolean measuring = new AtomicBoolean();
    LongAdder messages = new LongAdder();
    try (Connection nc = cluster.connect("agentos-bench-in-flight")) {
      Dispatcher dispatcher =
          nc.createDispatcher(
              m -> {
                messages.increment();
                if (m.getSubject().startsWith("$JS.ACK." + Topology.WORK_STREAM + ".")
                    && "+WPI".equals(new String(m.getData(), StandardCharsets.UTF_8))) {
                  inProgress.increment();
                }
                if (m.getSubject().startsWith("$KV." + Topology.CYCLES_BUCKET + ".cycle.")
                    && !delivered(m)
                    && m.getData() != null
                    && m.getData().length > 0) {
                  cycleWrites.increment();
                  JsonNode state = Json.tree(m.getData());
                  String cycleId = state.path("cycle_id").asText();
                  String step = runningStep(state);
                  if (step.startsWith("EXECUTING/") && step.equals(steps.put(cycleId, step))) {
                    renewals.increment();
                    if (measuring.get()) {
                      renewalsInWindow.merge(cycleId, 1, Integer::sum);
                    }
                  }
                }
              });
      dispatcher.setPendingLimits(-1, -1);
      dispatcher.subscribe(">");
      nc.flush(Duration.ofSeconds(5));

      long started = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < inFlight; i++) {
        String cycleId = workload.nextCycleId();
        workload.submit(cycleId, workload.newWorkspace(), agent);
        ids.add(cycleId);
      }
      long deadline = started + FILL_DEADLINE.toNanos();
      while (running(steps, ids) < inFlight && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(500); // polling a count with a deadline
      }
      Duration fill = Duration.ofNanos(System.nanoTime() - started);
      int running = running(steps, ids);
      progress("%d of %d steps running after %s", running, inFlight, fill);

      Map<Long, Long> cpuBefore = new LinkedHashMap<>();
      for (RoleProcess service : cluster.services()) {
        cpuBefore.put(service.pid(), cpuTicks(service.pid()));
      }
      for (long pid : cluster.server().pids()) {
        cpuBefore.put(pid, cpuTicks(pid));
      }
      long writesBefore = cycleWrites.sum();
      long inProgressBefore = inProgress.sum();
      long renewalsBefore = renewals.sum();
      measuring.set(true);
      long messagesBefore = messages.sum();
      long windowStart = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(WINDOW.toNanos()); // the measuring window itself
      double seconds = (System.nanoTime() - windowStart) / 1e9;
      measuring.set(false);
      double renewalsPerSecond = (renewals.sum() - renewalsBefore) / seconds;
      int mostRenewals =
          renewalsInWindow.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      double writesPerSecond = (cycleWrites.sum() - writesBefore) / seconds;
      double inProgressPerSecond = (inProgress.sum() - inProgressBefore) / seconds;
      double messagesPerSecond = (messages.sum() - messagesBefore) / seconds;

      Map<String, ServiceUse> services = new LinkedHashMap<>();
      for (RoleProcess service : cluster.services()) {
        long pid = service.pid();
        double cores = (cpuTicks(pid) - cpuBefore.get(pid)) / (double) CLOCK_TICKS / seconds;
        long[] heap = heap(pid);
        long[] live = liveHeap(pid); // after the CPU reading: the collection is the bench's own
        services.put(
            service.name(), new ServiceUse(heap[0], live[0], heap[1], threads(pid), cores));
      }
      double serverCores = 0;
      for (long pid : cluster.server().pids()) {
        serverCores += (cpuTicks(pid) - cpuBefore.get(pid)) / (double) CLOCK_TICKS / seconds;
      }
      int lost =
          (int) ids.stream().filter(id -> steps.getOrDefault(id, "").endsWith("/2+")).count();
      double expected = running / (WorkerSettingsView.ackWait(properties).toMillis() / 3000.0);
      progress(
          "%d steps running: %.0f cycle writes/s, of which %.0f/s renewals (at most %d by one"
              + " step in %s), and %.0f in-progress acks/s (one renewal per step per %s would be"
              + " %.0f/s), %.0f messages/s, %d leases lost",
          running,
          writesPerSecond,
          renewalsPerSecond,
          mostRenewals,
          WINDOW,
          inProgressPerSecond,
          WorkerSettingsView.ackWait(properties).dividedBy(3),
          expected,
          messagesPerSecond,
          lost);
      services.forEach((name, use) -> progress("%s: %s", name, use));
      for (String id : ids) {
        cancel(nc, id);
      }
      return new Result(
          inFlight,
          running,
          fill,
          WINDOW,
          writesPerSecond,
          renewalsPerSecond,
          mostRenewals,
          inProgressPerSecond,
          messagesPerSecond,
          expected,
          services,
          serverCores,
          lost);
    } finally {
      cluster.restartAll(cluster.properties());
    }
  }

  /**
   * Whether the message is a JetStream delivery (to a service's watch of the bucket), which keeps
   * the subject of the write it delivers: counted as well, every write would count once more per
   * watcher.
   */
  private static boolean delivered(Message m) {
    return m.getReplyTo() != null && m.getReplyTo().startsWith("$JS.ACK.");
  }

  /** "phase/stepId/attempt" of the step a state runs, "/2+" once a step is on its second try. */
  private static String runningStep(JsonNode state) {
    if (!"EXECUTING".equals(state.path("status").asText())) {
      return state.path("status").asText();
    }
    JsonNode iterations = state.path("iterations");
    JsonNode steps = iterations.path(iterations.size() - 1).path("execution").path("steps");
    for (JsonNode step : steps) {
      if ("RUNNING".equals(step.path("status").asText())) {
        return "EXECUTING/"
            + step.path("id").asText()
            + (step.path("attempts").asInt() > 1 ? "/2+" : "/1");
      }
    }
    return "EXECUTING";
  }

  private static int running(Map<String, String> steps, List<String> ids) {
    return (int)
        ids.stream().filter(id -> steps.getOrDefault(id, "").startsWith("EXECUTING/")).count();
  }

  private static void cancel(Connection nc, String cycleId) {
    try {
      nc.request(
          Topology.apiSubject("cancel"),
          ("{\"cycle_id\":\"" + cycleId + "\"}").getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** utime + stime of a process, in clock ticks. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).trim());
      }
    }
    return -1;
  }

  /**
   * Used and committed heap after a full collection ({@code jcmd <pid> GC.run}), in bytes: what the
   * service holds, which is what its heap limit must fit.
   */
  private static long[] liveHeap(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    return heap(pid);
  }

  /** Used and committed heap from {@code jcmd <pid> GC.heap_info}, in bytes. */
  private static long[] heap(long pid) throws IOException, InterruptedException {
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find()
        ? new long[] {Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024}
        : new long[] {-1, -1};
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private static void progress(String format, Object... args) {
    System.err.println("bench: in-flight: " + String.format(format, args));
  }

  /** The AckWait the services run with (a lease renewal comes every third of it). */
  private static final class WorkerSettingsView {
    static Duration ackWait(Map<String, String> properties) {
      String value = properties.getOrDefault("agentos.worker.ack-wait", "30s");
      return Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
    }
  }
}
