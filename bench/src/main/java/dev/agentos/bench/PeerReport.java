package dev.agentos.bench;

import java.util.Map;

/**
 * Agent OS and its peer side by side, one row per figure, with the ratio (Agent OS ÷ peer: below 1
 * is better for time and CPU, above 1 for throughput), and how durable each system was in the run.
 */
final class PeerReport {
  private PeerReport() {}

  static void append(StringBuilder md, Report report) {
    if (report.options.peer().isEmpty()) {
      return;
    }
    md.append("#### Side by side: Agent OS and Restate (")
        .append(RestatePeer.VERSION)
        .append(")\n\n");
    if (report.peerSkipped != null) {
      md.append("The peer was skipped: ").append(report.peerSkipped).append(".\n\n");
      return;
    }
    md.append("| figure | Agent OS | Restate | Agent OS ÷ Restate |\n|---|---|---|---|\n");
    PeerRun.Result spawn = result(report, "spawn");
    PeerRun.Result noop = result(report, "noop");
    OverheadRun.Result overhead = report.overhead;
    Driver.LoadResult throughput = report.throughput;
    if (spawn != null) {
      timeRow(
          md,
          "overhead per cycle p50, spawning agent",
          overhead == null ? Double.NaN : overhead.latency().p50(),
          spawn.overhead().p50());
      timeRow(
          md,
          "overhead per cycle p99, spawning agent",
          overhead == null ? Double.NaN : overhead.latency().p99(),
          spawn.overhead().p99());
      row(
          md,
          "sustained cycles/s, "
              + spawn.inFlight()
              + " in flight, "
              + Report.seconds(spawn.window()),
          throughput == null ? Double.NaN : throughput.perSecond(),
          spawn.perSecond(),
          " cycles/s");
      row(
          md,
          "CPU ms per cycle, every process but the bench's driver (sequential run)",
          overhead == null ? Double.NaN : servicesCpu(overhead.cpuMillis()),
          spawn.cpuMillis(),
          " ms");
    }
    if (noop != null) {
      OverheadRun.Result ours = report.noopOverhead;
      timeRow(
          md,
          "overhead per cycle p50, no-op steps (no process)",
          ours == null ? Double.NaN : ours.latency().p50(),
          noop.overhead().p50());
      timeRow(
          md,
          "overhead per cycle p99, no-op steps (no process)",
          ours == null ? Double.NaN : ours.latency().p99(),
          noop.overhead().p99());
      row(
          md,
          "sustained cycles/s, no-op steps",
          report.noopThroughput == null ? Double.NaN : report.noopThroughput.perSecond(),
          noop.perSecond(),
          " cycles/s");
      row(
          md,
          "CPU ms per cycle, no-op steps (sequential run)",
          ours == null ? Double.NaN : servicesCpu(ours.cpuMillis()),
          noop.cpuMillis(),
          " ms");
    }
    md.append('\n');
    md.append(
        "Durability in this run: Agent OS on one nats-server ("
            + report.machine.natsServer()
            + ") whose JetStream file store syncs to disk on its interval (2.9 has no per-write"
            + " setting); Restate on one node that fsyncs its journal (RocksDB WAL with fsync)"
            + " before it acknowledges a step. Only the clustered run (`--cluster`, a write"
            + " acknowledged once a majority holds it) compares like with like.\n\n");
    if (spawn != null) {
      md.append("Restate CPU ms per cycle by process: ");
      spawn
          .cpuMillisPerCycle()
          .forEach((p, v) -> md.append(p).append(' ').append(Report.f1(v)).append("; "));
      md.append("latency under load p50 ")
          .append(Report.ms(spawn.loadLatency().p50()))
          .append(", p99 ")
          .append(Report.ms(spawn.loadLatency().p99()))
          .append(".\n\n");
    }
  }

  /** CPU of the services and nats-server per cycle; the bench's own driver is left out for both. */
  static double servicesCpu(Map<String, Double> cpuMillis) {
    return cpuMillis.entrySet().stream()
        .filter(e -> !e.getKey().equals("agentos-bench"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static PeerRun.Result result(Report report, String mode) {
    return report.peer.stream().filter(r -> r.mode().equals(mode)).findFirst().orElse(null);
  }

  private static void timeRow(StringBuilder md, String what, double ours, double theirs) {
    md.append("| ")
        .append(what)
        .append(" | ")
        .append(Report.ms(ours))
        .append(" | ")
        .append(Report.ms(theirs))
        .append(" | ")
        .append(ratio(ours, theirs))
        .append(" |\n");
  }

  private static void row(StringBuilder md, String what, double ours, double theirs, String unit) {
    md.append("| ")
        .append(what)
        .append(" | ")
        .append(Double.isNaN(ours) ? "—" : Report.f1(ours) + unit)
        .append(" | ")
        .append(Report.f1(theirs) + unit)
        .append(" | ")
        .append(ratio(ours, theirs))
        .append(" |\n");
  }

  private static String ratio(double ours, double theirs) {
    return Double.isNaN(ours) || theirs <= 0 ? "—" : Report.f2(ours / theirs) + "×";
  }
}
