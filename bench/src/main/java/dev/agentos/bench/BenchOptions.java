package dev.agentos.bench;

import dev.agentos.state.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How much a bench run measures. The full run takes about seven minutes on two cores; {@code
 * --quick} is a smoke check of every scenario in about three.
 *
 * @param warmup how long cycles run in parallel before anything is measured, so that the services'
 *     JIT has compiled the hot paths
 * @param warmupCycles sequential cycles run after that, before the overhead is measured
 * @param overheadCycles sequential cycles for the overhead percentiles
 * @param censusCycles sequential cycles whose messages are counted by subject
 * @param floorOps operations per floor measurement (KV round trip, request/reply)
 * @param throughputWindow how long sustained throughput is measured
 * @param inFlight the most cycles submitted and not yet finished during the throughput run
 * @param scalingWindow how long each executor count is measured per round of the scaling run
 * @param scalingRounds how many times one and then two executors are measured, in turns
 * @param kills how many busy executors are SIGKILLed
 * @param report where to write the Markdown report as well, if anywhere
 * @param jfrRole a role whose service records a Java Flight Recording, if any
 * @param defaultJit whether the services run with the JVM's default JIT (C1 and C2) rather than as
 *     deployed
 * @param only the scenarios to run (all but {@code storage} by default)
 * @param peer the system measured right after Agent OS with the same workload, if any
 * @param natsCluster whether NATS runs as a three-node JetStream cluster with every resource R3
 * @param storageCycles ended cycles the storage scenario stores
 * @param storageHistory history records the storage scenario stores
 * @param inFlightMany cycles the inflight scenario holds running at once
 */
record BenchOptions(
    boolean quick,
    Duration warmup,
    int warmupCycles,
    int overheadCycles,
    int censusCycles,
    int floorOps,
    Duration throughputWindow,
    int inFlight,
    Duration scalingWindow,
    int scalingRounds,
    int kills,
    Optional<Path> report,
    Optional<String> jfrRole,
    boolean defaultJit,
    Set<String> only,
    Optional<String> peer,
    Path repoRoot,
    boolean natsCluster,
    int storageCycles,
    int storageHistory,
    int inFlightMany) {

  static final List<String> PEERS = List.of("restate");

  static final List<String> SCENARIOS =
      List.of(
          "overhead",
          "census",
          "floor",
          "noop",
          "state",
          "throughput",
          "scaling",
          "kills",
          "storage",
          "inflight");

  /** Scenarios that run only when named with --only: they take long and fill the disk. */
  static final Set<String> ON_REQUEST = Set.of("storage", "inflight");

  static final String USAGE =
      """
      usage: bin/bench [--quick] [--cycles N] [--duration SECONDS] [--in-flight N] [--kills N]
                       [--report FILE] [--jfr ROLE] [--default-jit] [--only SCENARIO,...]
                       [--cluster] [--storage-cycles N] [--storage-history N] [--many N]
                       [--peer restate]

        --quick          a smoke check: fewer cycles, shorter runs (about 3 minutes)
        --cycles N       sequential cycles for the overhead percentiles (default 200)
        --duration S     seconds of sustained throughput (default 60)
        --in-flight N    the most cycles in flight during the throughput run (default 50)
        --kills N        busy executors SIGKILLed for the resume time (default 5)
        --report FILE    also write the Markdown report to FILE
        --jfr ROLE       record a Java Flight Recording of ROLE's service (planner, executor,
                         express, review); its path is printed at the end
        --default-jit    run the services with the JVM's default JIT (C1 and C2) instead of
                         -XX:TieredStopAtLevel=1, as `agentos up` and the manifests run them
        --only LIST      run only these scenarios, comma separated: overhead, census, floor,
                         noop (overhead and throughput with the in-process no-op agent),
                         state, throughput, scaling, kills (for profiling one of them), and
                         storage and inflight (on request only: stored cycles and history
                         at scale; --many cycles running 60 s steps at once)
        --cluster        run NATS as a three-node JetStream cluster, every stream and bucket R3,
                         the services given every node's URL (as production runs it)
        --storage-cycles N   ended cycles the storage scenario stores (default 100000)
        --storage-history N  history records the storage scenario stores (default 1000000)
        --many N         cycles the inflight scenario holds running at once (default 2000)
        --peer restate   then run the same workload on Restate (installed with npm into the
                         bench's temp dir) and print both systems' figures side by side

      Needs nats-server on the PATH (or NATS_SERVER_BIN) and the four service jars
      (bin/bench builds them when they are missing).""";

  static BenchOptions parse(String[] args, Path repoRoot) {
    boolean quick = false;
    Integer cycles = null;
    Integer seconds = null;
    Integer inFlight = null;
    Integer kills = null;
    Path report = null;
    String jfr = null;
    boolean defaultJit = false;
    boolean natsCluster = false;
    Integer storageCycles = null;
    Integer storageHistory = null;
    Integer many = null;
    Set<String> only = new LinkedHashSet<>(SCENARIOS);
    String peer = null;
    only.removeAll(ON_REQUEST);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--cycles" -> cycles = positive(arg, value(args, ++i, arg));
        case "--duration" -> seconds = positive(arg, value(args, ++i, arg));
        case "--in-flight" -> inFlight = positive(arg, value(args, ++i, arg));
        case "--kills" -> kills = positive(arg, value(args, ++i, arg));
        case "--report" -> report = Path.of(value(args, ++i, arg));
        case "--jfr" -> jfr = role(value(args, ++i, arg));
        case "--default-jit" -> defaultJit = true;
        case "--cluster" -> natsCluster = true;
        case "--storage-cycles" -> storageCycles = positive(arg, value(args, ++i, arg));
        case "--storage-history" -> storageHistory = positive(arg, value(args, ++i, arg));
        case "--many" -> many = positive(arg, value(args, ++i, arg));
        case "--only" -> only = scenarios(value(args, ++i, arg));
        case "--peer" -> peer = peer(value(args, ++i, arg));
        case "--help", "-h" -> throw new UsageException(null);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    return new BenchOptions(
        quick,
        Duration.ofSeconds(quick ? 10 : 30),
        quick ? 10 : 30,
        cycles != null ? cycles : quick ? 30 : 200,
        quick ? 5 : 20,
        quick ? 1_000 : 5_000,
        Duration.ofSeconds(seconds != null ? seconds : quick ? 10 : 60),
        inFlight != null ? inFlight : 50,
        Duration.ofSeconds(quick ? 8 : 20),
        quick ? 1 : 2,
        kills != null ? kills : quick ? 2 : 5,
        Optional.ofNullable(report),
        Optional.ofNullable(jfr),
        defaultJit,
        Set.copyOf(only),
        Optional.ofNullable(peer),
        repoRoot,
        natsCluster,
        storageCycles != null ? storageCycles : quick ? 10_000 : 100_000,
        storageHistory != null ? storageHistory : quick ? 100_000 : 1_000_000,
        many != null ? many : quick ? 200 : 2_000);
  }

  ServiceJvm serviceJvm() {
    return new ServiceJvm(defaultJit ? List.of() : ServiceJvm.DEPLOYED, jfrRole);
  }

  boolean runs(String scenario) {
    return only.contains(scenario);
  }

  private static Set<String> scenarios(String text) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String name : text.split(",")) {
      if (!SCENARIOS.contains(name.trim())) {
        throw new UsageException(
            "--only takes scenarios of " + SCENARIOS + ", not '" + name.trim() + "'");
      }
      chosen.add(name.trim());
    }
    return chosen;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String option, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " needs a positive whole number, not '" + text + "'");
  }

  private static String peer(String text) {
    if (!PEERS.contains(text)) {
      throw new UsageException("--peer takes one of " + PEERS + ", not '" + text + "'");
    }
    return text;
  }

  private static String role(String text) {
    if (!Phase.roles().contains(text)) {
      throw new UsageException("--jfr needs a role of " + Phase.roles() + ", not '" + text + "'");
    }
    return text;
  }

  /** A command line the bench cannot run; the message says what is wrong (none for --help). */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
