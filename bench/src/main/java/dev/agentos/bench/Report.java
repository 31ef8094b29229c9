package dev.agentos.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one run measured, as Markdown: the summary table first (one row per question, with its
 * target), then the details that explain it. A scenario that failed shows its error instead of
 * numbers; the others still report.
 */
final class Report {
  static final double OVERHEAD_TARGET_MS = 25;
  static final double THROUGHPUT_TARGET = 100;
  static final double SCALING_TARGET = 1.8;
  static final long RESUME_TARGET_MS = 5_000;

  Machine machine;
  BenchOptions options;
  OverheadRun.Result overhead;
  MessageCensus.Result census;
  FloorRun.Result floor;
  StateSizeRun.Result stateSize;
  Driver.LoadResult throughput;

  /** The same sequential and sustained runs with the in-process no-op agent (no process). */
  OverheadRun.Result noopOverhead;

  Driver.LoadResult noopThroughput;
  ScalingRun.Result scaling;
  KillRun.Result kills;
  final List<PeerRun.Result> peer = new java.util.ArrayList<>();
  String peerSkipped;
  StorageRun.Result storage;
  InFlightRun.Result inFlight;
  final Map<String, String> failures = new LinkedHashMap<>();

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("### ")
        .append(options.quick() ? "Quick run" : "Run")
        .append(": ")
        .append(machine.line())
        .append(" · services: ")
        .append(
            options.serviceJvm().options().isEmpty()
                ? "default JIT (C1 and C2)"
                : String.join(" ", options.serviceJvm().options()) + " (as deployed)")
        .append(
            options.natsCluster() ? " · NATS: three-node JetStream cluster, every resource R3" : "")
        .append("\n\n");
    md.append("| # | what | measured | target | |\n|---|---|---|---|---|\n");
    overheadRows(md);
    throughputRow(md);
    noopRow(md);
    scalingRow(md);
    killRows(md);
    stateRow(md);
    floorRows(md);
    storageRows(md);
    inFlightRows(md);
    md.append('\n');
    failures.forEach(
        (scenario, error) ->
            md.append("- **").append(scenario).append(" failed:** ").append(error).append('\n'));
    if (!failures.isEmpty()) {
      md.append('\n');
    }
    PeerReport.append(md, this);
    details(md);
    return md.toString();
  }

  private void storageRows(StringBuilder md) {
    if (storage == null) {
      notRun(md, "S", "Storage at scale", "storage");
      return;
    }
    StorageRun.Result s = storage;
    String scale =
        String.format(
            "%,d ended cycles (%,d B each, %d%% FAILED), %,d history records (%,d B each)",
            s.cycles(),
            s.stateBytes(),
            Math.round(100.0 * s.failedCycles() / Math.max(1, s.cycles())),
            s.history(),
            s.recordBytes());
    row(
        md,
        "S",
        "Stored: " + scale,
        "filled in " + seconds(s.fillCycles()) + " and " + seconds(s.fillHistory()),
        "",
        "");
    row(
        md,
        "S",
        "Reconciler sweep: first (reads every ended cycle written before settling existed, and"
            + " settles it) · steady (ended cycles are settled: read by none)",
        "first **"
            + ms(s.firstSweep().toNanos() / 1e6)
            + "**, "
            + s.firstSweepReads()
            + " reads · steady **"
            + ms(s.steadySweep().toNanos() / 1e6)
            + "**, "
            + s.steadySweepReads()
            + " reads",
        "≤ 2 s, 0 reads of ended cycles",
        verdict(s.steadySweep().toMillis() <= 2000 && s.steadySweepReads() == 0));
    row(
        md,
        "S",
        "A fresh service's settled-cycles index (headers only, every cycle key) loaded",
        "**" + seconds(s.freshIndexLoad()) + "**",
        "",
        "");
    row(
        md,
        "S",
        "`list` page (limit 20, `cursor` paging: lists the keys, reads one page)",
        latency(s.listPage()),
        "p50 ≤ 100 ms",
        verdict(s.listPage().count() > 0 && s.listPage().p50() <= 100));
    row(
        md,
        "S",
        "`history` of one project, FAILED only (a scan of the project's records)",
        latency(s.historyFiltered()),
        "",
        "");
    row(
        md,
        "S",
        "`stats` rebuilt from every record (`agentos stats --rebuild`)",
        latency(s.statsRebuild()),
        "",
        "");
    row(
        md,
        "S",
        "`stats` from the running totals: all projects · one project",
        latency(s.stats()) + " · " + latency(s.statsProject()),
        "p50 ≤ 200 ms",
        verdict(s.stats().count() > 0 && s.stats().p50() <= 200));
    row(
        md,
        "S",
        "A service's start-up (express, stop → ready) with the buckets full",
        "**" + seconds(s.startup()) + "**",
        "",
        "");
    s.notes().forEach((what, why) -> row(md, "S", what + " could not be measured", why, "", ""));
  }

  private void inFlightRows(StringBuilder md) {
    if (inFlight == null) {
      notRun(md, "M", "Many cycles in flight", "inflight");
      return;
    }
    InFlightRun.Result r = inFlight;
    row(
        md,
        "M",
        String.format(
            "%,d cycles in flight, steps of %d s: running at once (filled in)",
            r.inFlight(), InFlightRun.STEP.toSeconds()),
        r.running() + " (" + seconds(r.fill()) + ")",
        "",
        "");
    row(
        md,
        "M",
        "Renewals (writes to `agentos-cycles` that leave the same step running) per second · most"
            + " by one step in the window · all writes to `agentos-cycles` · in-progress acks of"
            + " work messages · all messages per second",
        String.format(
            "**%.0f**/s (one per running step per renewal interval: %.0f/s) · %d in %d s · %.0f/s"
                + " · %.0f/s · %.0f/s",
            r.renewalsPerSecond(),
            r.expectedRenewalsPerSecond(),
            r.mostRenewalsOfOneStep(),
            r.window().toSeconds(),
            r.cycleWritesPerSecond(),
            r.inProgressPerSecond(),
            r.messagesPerSecond()),
        "≤ one renewal per step per interval",
        verdict(r.renewalsPerSecond() <= r.expectedRenewalsPerSecond() * 1.1));
    r.services()
        .forEach(
            (name, use) ->
                row(
                    md,
                    "M",
                    name
                        + ": heap used (garbage included) / live after a full GC / committed ·"
                        + " threads · CPU (cores)",
                    String.format(
                        "%d / **%d** / %d MiB · %d · %.2f",
                        use.heapUsedBytes() >> 20,
                        use.heapLiveBytes() >> 20,
                        use.heapTotalBytes() >> 20,
                        use.threads(),
                        use.cores()),
                    "heap ≤ 512 MiB",
                    verdict(use.heapLiveBytes() >= 0 && use.heapLiveBytes() <= 512L << 20)));
    row(
        md,
        "M",
        "nats-server CPU (cores, all nodes)",
        String.format("%.2f", r.serverCores()),
        "",
        "");
    row(
        md,
        "M",
        "Leases lost (a step on its second attempt)",
        "**" + r.leasesLost() + "**",
        "0",
        verdict(r.leasesLost() == 0));
  }

  private static String latency(Latencies l) {
    return l.count() == 0 ? "—" : "p50 **" + ms(l.p50()) + "** (" + l.count() + " requests)";
  }

  private void overheadRows(StringBuilder md) {
    if (overhead == null) {
      row(md, "1", "Orchestration overhead per cycle", failed("overhead"), "p50 ≤ 25 ms", "");
      return;
    }
    Latencies l = overhead.latency();
    row(
        md,
        "1",
        "Orchestration overhead per cycle: submit → COMPLETED, 3-step plan, instant agent, "
            + overhead.cycles()
            + " sequential cycles",
        "p50 **" + ms(l.p50()) + "** · p95 " + ms(l.p95()) + " · p99 " + ms(l.p99()),
        "p50 ≤ 25 ms",
        verdict(l.p50() <= OVERHEAD_TARGET_MS));
    row(
        md,
        "1",
        "… per cycle: KV writes (`KV_agentos-cycles`) · `AGENTOS_WORK` messages · events ·"
            + " messages the services sent to the server"
            + (census == null ? "" : " (all messages through the server)"),
        f1(overhead.kvWrites())
            + " · "
            + f1(overhead.workMessages())
            + " · "
            + f1(overhead.events())
            + " · "
            + f0(overhead.serviceMessagesIn())
            + (census == null ? "" : " (" + f0(census.total()) + ")"),
        "—",
        "");
  }

  private void throughputRow(StringBuilder md) {
    if (throughput == null) {
      row(md, "2", "Sustained throughput", failed("throughput"), "≥ 100 cycles/s", "");
      return;
    }
    row(
        md,
        "2",
        "Sustained throughput: 1 replica per role, instant agent, "
            + throughput.inFlight()
            + " in flight, "
            + seconds(throughput.window())
            + (throughput.failed() > 0
                ? " (" + throughput.failed() + " cycles did not complete)"
                : ""),
        "**"
            + f1(throughput.perSecond())
            + " cycles/s** (latency p50 "
            + ms(throughput.latency().p50())
            + ", p99 "
            + ms(throughput.latency().p99())
            + ")",
        "≥ 100 cycles/s",
        verdict(throughput.perSecond() >= THROUGHPUT_TARGET));
  }

  /** The no-process variant: the same runs with the in-process noop agent, when measured. */
  private void noopRow(StringBuilder md) {
    if (noopOverhead == null || noopThroughput == null) {
      if (failures.containsKey("noop")) {
        row(md, "2", "No-op agent (in-process)", failed("noop"), "—", "");
      }
      return;
    }
    Latencies l = noopOverhead.latency();
    row(
        md,
        "2",
        "No-op agent (in-process, no process per step): overhead of "
            + noopOverhead.cycles()
            + " sequential cycles · sustained, "
            + noopThroughput.inFlight()
            + " in flight, "
            + seconds(noopThroughput.window()),
        "p50 **"
            + ms(l.p50())
            + "** · p99 "
            + ms(l.p99())
            + " · **"
            + f1(noopThroughput.perSecond())
            + " cycles/s** · CPU "
            + f1(PeerReport.servicesCpu(noopOverhead.cpuMillis()))
            + " ms per cycle",
        "—",
        "");
  }

  private void scalingRow(StringBuilder md) {
    if (scaling == null) {
      row(md, "3", "Scaling 1 → 2 executor replicas", failed("scaling"), "≥ 1.8×", "");
      return;
    }
    row(
        md,
        "3",
        "Scaling 1 → 2 executor replicas: "
            + scaling.stepDelay().toMillis()
            + " ms per step, executor `agentos.worker.concurrency=1`, "
            + scaling.inFlight()
            + " in flight, "
            + scaling.oneExecutor().size()
            + " × "
            + seconds(scaling.oneExecutor().get(0).window())
            + " each, in turns",
        f2(scaling.onePerSecond())
            + " → "
            + f2(scaling.twoPerSecond())
            + " cycles/s = **"
            + f2(scaling.ratio())
            + "×**",
        "≥ 1.8×",
        verdict(scaling.ratio() >= SCALING_TARGET));
  }

  private void killRows(StringBuilder md) {
    if (kills == null) {
      row(md, "4", "Time to resume after SIGKILL of a busy executor", failed("kills"), "≤ 5 s", "");
      return;
    }
    List<Long> r = kills.resumeMillis();
    row(
        md,
        "4",
        "Time to resume after SIGKILL of a busy executor: ack-wait "
            + seconds(kills.ackWait())
            + ", 2 executor replicas, "
            + r.size()
            + " kills",
        "median **"
            + secs(kills.medianResumeMillis())
            + "** (min "
            + secs(r.stream().mapToLong(Long::longValue).min().orElse(0))
            + ", max "
            + secs(r.stream().mapToLong(Long::longValue).max().orElse(0))
            + ")",
        "≤ 5 s",
        verdict(kills.medianResumeMillis() <= RESUME_TARGET_MS));
    int completed = kills.completedRerun().stream().mapToInt(Integer::intValue).sum();
    int inFlight = kills.inFlightRerun().stream().mapToInt(Integer::intValue).sum();
    row(
        md,
        "4",
        "Completed steps re-run per crash (from the agent's call log)",
        "**"
            + f1(completed / (double) r.size())
            + "** (the step in flight ran again: "
            + f1(inFlight / (double) r.size())
            + " per crash, by design)",
        "0",
        verdict(completed == 0));
  }

  private void stateRow(StringBuilder md) {
    if (stateSize == null) {
      row(md, "5", "KV value per cycle with 1 MB transcripts", failed("state"), "≤ 64 KiB", "");
      return;
    }
    row(
        md,
        "5",
        "KV value per cycle when each of the 3 steps returns a 1 MiB transcript",
        "largest **"
            + kib(stateSize.largestBytes())
            + "** (final "
            + kib(stateSize.finalBytes())
            + "); transcripts in the object store: "
            + stateSize.transcripts().stream().map(Report::kib).collect(Collectors.joining(", "))
            + (overhead == null
                ? ""
                : "; instant-agent cycle: " + kib(overhead.medianStateBytes())),
        "≤ 64 KiB",
        verdict(stateSize.largestBytes() <= StateSizeRun.LIMIT_BYTES));
  }

  private void floorRows(StringBuilder md) {
    if (floor == null) {
      row(md, "6", "Floor", failed("floor"), "—", "");
      return;
    }
    row(
        md,
        "6",
        "Floor, same run: KV get+update round trip ("
            + kib(floor.valueBytes())
            + " value, file storage) · core request/reply round trip (p50)",
        ms(floor.kvGetUpdate().p50()) + " · " + ms(floor.requestReply().p50()),
        "—",
        "");
    if (overhead != null) {
      row(
          md,
          "6",
          "Overhead p50 as a multiple of the floor",
          f0(overhead.latency().p50() / floor.kvGetUpdate().p50())
              + "× a KV get+update · "
              + f0(overhead.latency().p50() / floor.requestReply().p50())
              + "× a request/reply",
          "—",
          "");
    }
  }

  private void details(StringBuilder md) {
    if (floor != null) {
      md.append("Floor details (p50 / p99): KV get+update ")
          .append(ms(floor.kvGetUpdate().p50()))
          .append(" / ")
          .append(ms(floor.kvGetUpdate().p99()))
          .append("; request/reply ")
          .append(ms(floor.requestReply().p50()))
          .append(" / ")
          .append(ms(floor.requestReply().p99()))
          .append("; JetStream publish with ack ")
          .append(ms(floor.jsPublish().p50()))
          .append(" / ")
          .append(ms(floor.jsPublish().p99()))
          .append("; starting the instant agent as a process (fork/exec, 4 KB prompt, reap) ")
          .append(ms(floor.agentSpawn().p50()))
          .append(" / ")
          .append(ms(floor.agentSpawn().p99()))
          .append(".\n\n");
    }
    if (overhead != null) {
      md.append(
          "Where the time of a sequential cycle goes (from the KV writes the watch sees; p50 / p95):\n\n");
      md.append("| segment | p50 | p95 |\n|---|---|---|\n");
      overhead
          .timeline()
          .segments()
          .forEach(
              (segment, l) ->
                  md.append("| ")
                      .append(segment)
                      .append(" | ")
                      .append(ms(l.p50()))
                      .append(" | ")
                      .append(ms(l.p95()))
                      .append(" |\n"));
      md.append('\n');
    }
    if (census != null) {
      md.append("Messages per cycle by kind (")
          .append(census.cycles())
          .append(
              " sequential cycles, a `>` subscriber counting, idle traffic taken off; a reconciler"
                  + " sweep that falls in the window adds reads of every stored cycle):\n\n");
      md.append("| kind | per cycle |\n|---|---|\n");
      census
          .perCycle()
          .forEach(
              (kind, n) -> md.append("| ").append(kind).append(" | ").append(f1(n)).append(" |\n"));
      md.append("| **total** | **").append(f0(census.total())).append("** |\n\n");
    }
    if (overhead != null) {
      md.append(
          "Per cycle in the overhead run, by process: messages sent to the server · CPU ms\n\n");
      md.append("| process | messages | CPU ms |\n|---|---|---|\n");
      Map<String, String> rows = new java.util.TreeMap<>();
      overhead.messagesIn().forEach((conn, n) -> rows.put(conn.replace("-service", ""), f1(n)));
      for (String process : union(rows.keySet(), overhead.cpuMillis().keySet())) {
        md.append("| ")
            .append(process)
            .append(" | ")
            .append(rows.getOrDefault(process, "—"))
            .append(" | ")
            .append(
                overhead.cpuMillis().containsKey(process)
                    ? f1(overhead.cpuMillis().get(process))
                    : "—")
            .append(" |\n");
      }
      md.append("\nOther work on the machine during the overhead run kept ")
          .append(f2(overhead.otherCoresBusy()))
          .append(" of ")
          .append(machine.cores())
          .append(" cores busy.\n\n");
    }
    if (throughput != null) {
      md.append("Throughput run: completions per second in ")
          .append(seconds(throughput.bucket()))
          .append(" windows: ")
          .append(
              throughput.windowRates().stream().map(Report::f1).collect(Collectors.joining(", ")))
          .append(". ");
      Map<String, Double> cpu = throughput.after().cpuDelta(throughput.before());
      double secs = throughput.after().secondsSince(throughput.before());
      double busy = cpu.values().stream().mapToDouble(Double::doubleValue).sum() / secs;
      md.append("Cores busy: ")
          .append(f2(busy))
          .append(" of ")
          .append(machine.cores())
          .append(" (");
      md.append(
          cpu.entrySet().stream()
              .map(e -> e.getKey() + " " + f2(e.getValue() / secs))
              .collect(Collectors.joining(", ")));
      md.append("); CPU ms per cycle: ");
      int n = Math.max(1, throughput.completed());
      md.append(
          cpu.entrySet().stream()
              .map(e -> e.getKey() + " " + f1(e.getValue() * 1000 / n))
              .collect(Collectors.joining(", ")));
      md.append(". Other work on the machine kept ")
          .append(f2(throughput.after().otherCoresBusy(throughput.before())))
          .append(" cores busy.\n\n");
    }
    if (scaling != null) {
      md.append("Scaling run, cycles/s per turn — 1 executor: ")
          .append(joined(scaling.oneExecutor(), r -> f2(r.perSecond())))
          .append("; 2 executors: ")
          .append(joined(scaling.twoExecutors(), r -> f2(r.perSecond())))
          .append(". Cycle latency p50: ")
          .append(ms(scaling.oneExecutor().get(0).latency().p50()))
          .append(" → ")
          .append(ms(scaling.twoExecutors().get(0).latency().p50()))
          .append(". Other work on the machine kept ")
          .append(joined(scaling.oneExecutor(), r -> f2(r.after().otherCoresBusy(r.before()))))
          .append(" / ")
          .append(joined(scaling.twoExecutors(), r -> f2(r.after().otherCoresBusy(r.before()))))
          .append(" cores busy.\n\n");
    }
    if (kills != null) {
      md.append("Kills: resume times ")
          .append(kills.resumeMillis().stream().map(Report::secs).collect(Collectors.joining(", ")))
          .append("; completed steps re-run ")
          .append(kills.completedRerun())
          .append("; in-flight steps re-run ")
          .append(kills.inFlightRerun())
          .append(".\n");
    }
  }

  private static <T> String joined(List<T> items, java.util.function.Function<T, String> text) {
    return items.stream().map(text).collect(Collectors.joining(", "));
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /** The row of a scenario that was asked for and gave no result. */
  private void notRun(StringBuilder md, String code, String title, String scenario) {
    if (options.runs(scenario)) {
      row(md, code, title, failed(scenario), "", "");
    }
  }

  private String failed(String scenario) {
    return failures.containsKey(scenario) ? "failed (see below)" : "not run";
  }

  private static void row(
      StringBuilder md, String n, String what, String measured, String target, String verdict) {
    md.append("| ")
        .append(n)
        .append(" | ")
        .append(what)
        .append(" | ")
        .append(measured)
        .append(" | ")
        .append(target)
        .append(" | ")
        .append(verdict)
        .append(" |\n");
  }

  private static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }

  static String ms(double millis) {
    return Double.isNaN(millis) ? "—" : millis >= 100 ? f0(millis) + " ms" : f1(millis) + " ms";
  }

  static String secs(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : secs(d.toMillis());
  }

  static String kib(long bytes) {
    return bytes >= 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024))
        : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  static String f0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
