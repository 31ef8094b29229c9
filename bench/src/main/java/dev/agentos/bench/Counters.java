package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.nats.Topology;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of what the cluster has done so far: the last sequence of every stream (a KV write, a
 * work message, an event each add one), the messages each connection sent to the server, and the
 * CPU time of every process. Two snapshots around a run give the cost per cycle.
 */
record Counters(
    long atNanos,
    Map<String, Long> streamSequences,
    Map<String, Long> messagesIn,
    long serverMessagesIn,
    Map<String, Double> cpuSeconds,
    double machineCpuSeconds) {

  static final String CYCLES_STREAM = "KV_" + Topology.CYCLES_BUCKET;
  static final String ARTIFACTS_STREAM = "OBJ_" + Topology.ARTIFACTS_STORE;
  static final List<String> STREAMS =
      List.of(CYCLES_STREAM, Topology.WORK_STREAM, Topology.EVENTS_STREAM, ARTIFACTS_STREAM);

  /** The clock tick of /proc/<pid>/stat; 100 Hz on every Linux the bench runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  static Counters take(LocalCluster cluster) {
    long at = System.nanoTime();
    Map<String, Long> sequences = new LinkedHashMap<>();
    try {
      JetStreamManagement jsm = cluster.nc().jetStreamManagement();
      for (String stream : STREAMS) {
        sequences.put(stream, jsm.getStreamInfo(stream).getStreamState().getLastSequence());
      }
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot read stream state: " + e.getMessage(), e);
    }
    Map<String, Long> in = new TreeMap<>();
    // With a cluster, each connection is on one node, and each node counts what it received.
    for (JsonNode connz : cluster.server().monitorAll("/connz?limit=10000")) {
      for (JsonNode conn : connz.path("connections")) {
        String name = conn.path("name").asText("(unnamed)");
        in.merge(name, conn.path("in_msgs").asLong(), Long::sum);
      }
    }
    long serverIn = 0;
    for (JsonNode varz : cluster.server().monitorAll("/varz")) {
      serverIn += varz.path("in_msgs").asLong();
    }
    Map<String, Double> cpu = new TreeMap<>();
    double serverCpu = 0;
    for (long pid : cluster.server().pids()) {
      serverCpu += cpuSeconds(pid);
    }
    cpu.put("nats-server", serverCpu);
    cpu.put("agentos-bench", cpuSeconds(ProcessHandle.current().pid()));
    for (RoleProcess service : cluster.services()) {
      if (service.isAlive()) {
        cpu.put(service.name(), cpuSeconds(service.pid()));
      }
    }
    return new Counters(at, sequences, in, serverIn, cpu, machineBusySeconds());
  }

  /**
   * Cores kept busy by processes that are not the bench's (other people's builds and tests on a
   * shared machine) since {@code before}.
   */
  double otherCoresBusy(Counters before) {
    double ours = cpuDelta(before).values().stream().mapToDouble(Double::doubleValue).sum();
    return Math.max(0, machineCpuSeconds - before.machineCpuSeconds - ours) / secondsSince(before);
  }

  /** CPU seconds the whole machine has been busy since boot (every core, from /proc/stat). */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy =
          Long.parseLong(f[1])
              + Long.parseLong(f[2])
              + Long.parseLong(f[3])
              + Long.parseLong(f[6])
              + Long.parseLong(f[7]);
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  double secondsSince(Counters before) {
    return (atNanos - before.atNanos) / 1e9;
  }

  /** How far stream {@code name} advanced since {@code before}. */
  long streamDelta(Counters before, String name) {
    return streamSequences.getOrDefault(name, 0L) - before.streamSequences.getOrDefault(name, 0L);
  }

  /** Messages each connection sent since {@code before}. */
  Map<String, Long> messagesInDelta(Counters before) {
    Map<String, Long> delta = new TreeMap<>();
    messagesIn.forEach(
        (name, count) -> delta.put(name, count - before.messagesIn.getOrDefault(name, 0L)));
    return delta;
  }

  /** CPU seconds each process used since {@code before} (agent commands count to their service). */
  Map<String, Double> cpuDelta(Counters before) {
    Map<String, Double> delta = new TreeMap<>();
    cpuSeconds.forEach(
        (name, seconds) -> {
          Double earlier = before.cpuSeconds.get(name);
          if (earlier != null) {
            delta.put(name, seconds - earlier);
          }
        });
    return delta;
  }

  /** User + system time of a process and of its children that have exited, in seconds. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks =
          Long.parseLong(f[11])
              + Long.parseLong(f[12])
              + Long.parseLong(f[13])
              + Long.parseLong(f[14]);
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
