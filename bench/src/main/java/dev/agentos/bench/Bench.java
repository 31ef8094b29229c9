package dev.agentos.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/bench}: starts a private nats-server and the four packaged services as processes,
 * drives PEER cycles through them with a stand-in agent, and prints a Markdown table of what a
 * cycle costs: overhead, throughput, scaling, resume after SIGKILL, state size, and the floor of
 * this machine measured in the same run. Targets are reported, never asserted: the exit status is
 * non-zero only when a scenario could not be measured.
 */
public final class Bench {
  static final Duration KILL_ACK_WAIT = Duration.ofSeconds(3);
  static final Duration SCALING_STEP = Duration.ofMillis(200);
  static final int SCALING_IN_FLIGHT = 8;

  private final BenchOptions options;
  private final long started = System.nanoTime();
  private final AtomicReference<LocalCluster> running = new AtomicReference<>();
  private final AtomicReference<RestatePeer> runningPeer = new AtomicReference<>();

  private Bench(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    Path root = Path.of(System.getProperty("agentos.repo.root", ".")).toAbsolutePath().normalize();
    BenchOptions options;
    try {
      options = BenchOptions.parse(args, root);
    } catch (BenchOptions.UsageException e) {
      if (e.getMessage() == null) {
        System.out.println(BenchOptions.USAGE);
        System.exit(0);
        return;
      }
      System.err.println("bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    System.exit(new Bench(options).run());
  }

  /** The profile of the in-process no-op agent (backend noop), by its bench name. */
  static final List<String> NOOP = List.of("noop");

  private int run() {
    Path work;
    try {
      work = Files.createTempDirectory("agentos-bench-");
    } catch (Exception e) {
      System.err.println("bench: cannot create a temp dir: " + e.getMessage());
      return 1;
    }
    Path logs = work.resolve("logs");
    Thread hook = new Thread(this::forceStop, "agentos-bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Report report = new Report();
    report.options = options;
    Workload workload = null;
    Path agent = null;
    try {
      agent = Workload.installAgent(work);
      Map<String, String> properties = new java.util.LinkedHashMap<>();
      properties.put("agentos.agents.executor.command", agent + " instant");
      properties.putAll(
          Workload.profiles(
              agent,
              List.of(
                  List.of("instant"),
                  List.of("big"),
                  List.of("sleep", seconds(SCALING_STEP)),
                  List.of("record", seconds(KillRun.STEP)),
                  List.of("sleep", seconds(InFlightRun.STEP)))));
      // The no-process variant: an operator profile whose backend answers in-process.
      properties.put("agentos.profiles." + Workload.profile(NOOP) + ".backend", "noop");
      if (options.runs("storage")) {
        // A year's cycles and records exceed the default 256 MiB a bucket.
        properties.put("agentos.nats.max-bytes.buckets", String.valueOf(StorageRun.BUCKET_BYTES));
      }
      progress(
          "starting "
              + (options.natsCluster() ? "a three-node NATS cluster" : "nats-server")
              + " and the four services (logs: "
              + logs
              + ")");
      LocalCluster cluster =
          LocalCluster.start(
              options.repoRoot(), logs, options.serviceJvm(), options.natsCluster(), properties);
      running.set(cluster);
      report.machine = Machine.describe(cluster.nc().getServerInfo().getVersion());
      workload = new Workload(cluster.nc(), work.resolve("workspaces"), agent);
      CycleWatch watch = CycleWatch.start(cluster.nc());
      Driver driver = new Driver(cluster, watch, workload);
      measure(cluster, driver, watch, workload, report);
      watch.close();
    } catch (Exception | AssertionError e) {
      report.failures.put("start", message(e));
    } finally {
      progress("stopping the services");
      LocalCluster cluster = running.getAndSet(null);
      if (cluster != null) {
        cluster.close();
      }
      if (workload != null) {
        workload.close();
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    if (report.machine != null && agent != null) {
      measurePeer(work, agent, logs, report);
    }
    if (report.machine == null) {
      System.err.println("bench: " + report.failures.get("start"));
      System.err.println("bench: service logs are in " + logs);
      return 1;
    }
    String markdown = report.markdown();
    System.out.println(markdown);
    options.report().ifPresent(file -> write(file, markdown));
    progress("done; service logs are in " + logs);
    listRecordings(logs);
    return report.failures.isEmpty() ? 0 : 1;
  }

  private void measure(
      LocalCluster cluster, Driver driver, CycleWatch watch, Workload workload, Report report) {
    List<String> instant = workload.agent("instant");
    attempt(
        report,
        "overhead",
        "overhead: "
            + Report.seconds(options.warmup())
            + " of warm-up, then "
            + options.overheadCycles()
            + " sequential cycles",
        () ->
            report.overhead =
                OverheadRun.run(
                    cluster,
                    driver,
                    watch,
                    instant,
                    options.warmup(),
                    options.warmupCycles(),
                    options.overheadCycles()));
    attempt(
        report,
        "census",
        "message census: " + options.censusCycles() + " cycles",
        () -> {
          watch.suspend();
          try {
            report.census = MessageCensus.run(cluster, workload, instant, options.censusCycles());
          } finally {
            watch.resume();
          }
        });
    attempt(
        report,
        "floor",
        "floor: KV get+update, request/reply, publish, agent start",
        () ->
            report.floor =
                FloorRun.run(
                    cluster,
                    workload.newWorkspace(),
                    workload.command("instant"),
                    options.floorOps(),
                    report.overhead == null ? 4096 : report.overhead.medianStateBytes()));
    attempt(
        report,
        "noop",
        "no-op agent (in-process, no process per step): "
            + options.overheadCycles()
            + " sequential cycles, then "
            + Report.seconds(options.throughputWindow())
            + " with "
            + options.inFlight()
            + " in flight",
        () -> {
          report.noopOverhead =
              OverheadRun.run(
                  cluster,
                  driver,
                  watch,
                  NOOP,
                  Duration.ofSeconds(options.quick() ? 2 : 10),
                  options.warmupCycles(),
                  options.overheadCycles());
          report.noopThroughput =
              driver.load(
                  NOOP,
                  options.inFlight(),
                  Duration.ofSeconds(options.quick() ? 2 : 5),
                  options.throughputWindow());
        });
    attempt(
        report,
        "state",
        "state size: one cycle with 1 MiB transcripts",
        () -> report.stateSize = StateSizeRun.run(cluster, driver, watch, workload.agent("big")));
    attempt(
        report,
        "throughput",
        "throughput: "
            + Report.seconds(options.throughputWindow())
            + ", "
            + options.inFlight()
            + " in flight",
        () ->
            report.throughput =
                driver.load(
                    instant,
                    options.inFlight(),
                    Duration.ofSeconds(options.quick() ? 2 : 5),
                    options.throughputWindow()));
    attempt(
        report,
        "scaling",
        "scaling: 1 then 2 executors with concurrency=1, " + SCALING_STEP.toMillis() + " ms steps",
        () ->
            report.scaling =
                ScalingRun.run(
                    cluster,
                    driver,
                    workload.agent("sleep", seconds(SCALING_STEP)),
                    SCALING_STEP,
                    options.scalingWindow(),
                    SCALING_IN_FLIGHT,
                    options.scalingRounds()));
    attempt(
        report,
        "kills",
        "kills: "
            + options.kills()
            + " SIGKILLs of a busy executor, ack-wait "
            + Report.seconds(KILL_ACK_WAIT),
        () ->
            report.kills =
                KillRun.run(cluster, driver, watch, workload, KILL_ACK_WAIT, options.kills()));
    measureInFlight(cluster, workload, report);
    // Last: it fills the buckets, which every scenario after it would read.
    measureStorage(cluster, driver, workload, report);
  }

  private void measureInFlight(LocalCluster cluster, Workload workload, Report report) {
    attempt(
        report,
        "inflight",
        "in-flight: "
            + options.inFlightMany()
            + " cycles whose step sleeps "
            + seconds(InFlightRun.STEP)
            + " s, all running at once",
        () ->
            report.inFlight =
                InFlightRun.run(
                    cluster,
                    workload,
                    workload.agent("sleep", seconds(InFlightRun.STEP)),
                    options.inFlightMany()));
  }

  private void measureStorage(
      LocalCluster cluster, Driver driver, Workload workload, Report report) {
    attempt(
        report,
        "storage",
        "storage: "
            + options.storageCycles()
            + " ended cycles and "
            + options.storageHistory()
            + " history records stored, then read",
        () ->
            report.storage =
                StorageRun.run(
                    cluster,
                    driver,
                    workload.agent("instant"),
                    options.storageCycles(),
                    options.storageHistory()));
  }

  /**
   * The same workload on the peer, after Agent OS's services have stopped so that neither system
   * runs while the other is measured: with the spawning agent, then with a no-op step.
   */
  private void measurePeer(Path work, Path agent, Path logs, Report report) {
    if (options.peer().isEmpty()) {
      return;
    }
    java.util.Optional<String> unavailable = RestatePeer.unavailable();
    if (unavailable.isPresent()) {
      report.peerSkipped = unavailable.get();
      System.err.println("bench: the peer is skipped: " + unavailable.get());
      return;
    }
    progress("peer: installing and starting Restate (" + RestatePeer.VERSION + ")");
    RestatePeer peer;
    try {
      peer = RestatePeer.start(work, agent, logs);
    } catch (Exception | AssertionError e) {
      report.failures.put("peer", message(e));
      System.err.println("bench: peer failed: " + message(e));
      return;
    }
    runningPeer.set(peer);
    try {
      for (String mode : PeerRun.MODES) {
        progress("peer: the same measurements on Restate, " + mode + " steps");
        try {
          report.peer.add(PeerRun.run(peer, mode, options));
        } catch (Exception | AssertionError e) {
          report.failures.put("peer (" + mode + ")", message(e));
          System.err.println("bench: peer (" + mode + ") failed: " + message(e));
        }
      }
    } finally {
      runningPeer.set(null);
      peer.close();
    }
  }

  private interface Scenario {
    void run() throws Exception;
  }

  /**
   * Runs one scenario; a failure is reported with the others' results rather than ending the run.
   */
  private void attempt(Report report, String name, String description, Scenario scenario) {
    if (!options.runs(name)) {
      return;
    }
    progress(description);
    try {
      scenario.run();
    } catch (Exception | AssertionError e) {
      String message = message(e);
      System.err.println("bench: " + name + " failed: " + message);
      report.failures.put(name, message);
    }
  }

  private void forceStop() {
    RestatePeer peer = runningPeer.getAndSet(null);
    if (peer != null) {
      peer.close();
    }
    LocalCluster cluster = running.getAndSet(null);
    if (cluster != null) {
      System.err.println("bench: interrupted; stopping nats-server and the services");
      cluster.forceStop();
    }
  }

  private void listRecordings(Path logs) {
    if (options.jfrRole().isEmpty()) {
      return;
    }
    try (var files = Files.list(logs)) {
      files
          .filter(f -> f.toString().endsWith(".jfr"))
          .filter(f -> f.toFile().length() > 0) // a SIGKILLed service leaves an empty one
          .sorted()
          .forEach(f -> System.err.println("bench: flight recording " + f));
    } catch (Exception e) {
      System.err.println("bench: cannot list the flight recordings in " + logs);
    }
  }

  private void progress(String what) {
    System.err.printf("bench: [%4ds] %s%n", (System.nanoTime() - started) / 1_000_000_000L, what);
  }

  private static void write(Path file, String markdown) {
    try {
      Files.writeString(file, markdown);
      System.err.println("bench: report written to " + file);
    } catch (Exception e) {
      System.err.println("bench: cannot write the report to " + file + ": " + e.getMessage());
    }
  }

  private static String message(Throwable e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text += " (" + cause.getMessage() + ")";
    }
    return text;
  }

  /** A step length as the stand-in agent takes it: seconds, e.g. 0.2. */
  static String seconds(Duration step) {
    return Double.toString(step.toMillis() / 1000.0);
  }
}
