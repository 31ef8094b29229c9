package dev.agentos.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import dev.agentos.testing.GitRemote;
import io.nats.client.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code bin/bench --parallel}: what running a cycle's independent steps at once buys. The packaged
 * services on a private nats-server, a git remote ({@code git daemon}), an agent that takes one
 * second per step. In turns, the same Spec Kit feature (a Setup task, then six tasks marked [P]
 * that wait for it only) on one executor replica with one slot, then on three replicas with two
 * slots each; then a spec of two chains of three steps (A→B→C, D→E→F) on the three, against its
 * critical path of three steps: three agent runs, and the chain A→B→C run alone (what one chain
 * costs as Agent OS runs it, with no neighbour to merge beside).
 */
public final class ParallelStepsBench {
  private static final String SPEC = "specs/001-shapes";
  private static final String CHAINS = ".agent-os/specs/2026-12-07-chains";
  private static final Duration STEP = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  private ParallelStepsBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--parallel" -> {}
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: bin/bench --parallel [--rounds N]");
          System.exit(2);
        }
      }
    }
    Path root = Path.of(System.getProperty("agentos.repo.root", ".")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("agentos-bench-parallel-");
    Path agent = work.resolve("agent.sh");
    Files.writeString(
        agent,
        "cat > /dev/null\nsleep "
            + STEP.toSeconds()
            + "\nmkdir -p work\necho \"step $AGENTOS_STEP_ID\" > \"work/step-$AGENTOS_STEP_ID.txt\"\n"
            + "echo done\n");
    try (GitRemote remote = GitRemote.start()) {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("agentos.agents.executor.command", "bash " + agent);
      properties.put("agentos.workspace.git.allowed-remotes", remote.url("").replace(".git", ""));
      properties.put("agentos.executor.max-parallel", "6");
      properties.put("agentos.worker.concurrency", "1");
      System.err.println("bench: starting nats-server and the four services");
      try (LocalCluster cluster =
              LocalCluster.start(
                  root,
                  work.resolve("logs"),
                  new ServiceJvm(ServiceJvm.DEPLOYED, Optional.empty()),
                  false,
                  properties);
          CycleWatch watch = CycleWatch.start(cluster.nc())) {
        Runner runner = new Runner(cluster, watch, remote);
        Map<String, String> twoSlots = Map.of("agentos.worker.concurrency", "2");
        // Each replica keeps its git cache across its restarts between turns, as a pod's emptyDir
        // outlives a container restart: what a turn measures is the steps, not first clones.
        Map<String, String> cache1 = cacheOf(work, "executor");
        Map<String, String> cache2 = cacheOf(work, "executor-2");
        Map<String, String> cache3 = cacheOf(work, "executor-3");
        List<Span> one = new ArrayList<>();
        List<Span> three = new ArrayList<>();
        List<Span> chains = new ArrayList<>();
        List<Span> alone = new ArrayList<>();
        // One repository per spec, as a team's: every cycle after the warm-ups finds it cached.
        Map<String, String> single = with(cluster.properties(), cache1);
        cluster.restart("executor", single);
        String six = runner.sixParallel();
        String twoChains = runner.twoChains();
        String oneChain = runner.oneChain();
        runner.run(six, SPEC, "warm-up");
        runner.run(twoChains, CHAINS, "warm-up");
        runner.run(oneChain, CHAINS, "warm-up");
        for (int round = 1; round <= rounds; round++) {
          one.add(runner.run(six, SPEC, "1 replica, round " + round));
          cluster.restart("executor", with(single, twoSlots));
          cluster.addReplica(
              "executor", "executor-2", with(with(cluster.properties(), twoSlots), cache2));
          cluster.addReplica(
              "executor", "executor-3", with(with(cluster.properties(), twoSlots), cache3));
          if (round == 1) {
            runner.run(six, SPEC, "warm-up of the new replicas' caches");
          }
          three.add(runner.run(six, SPEC, "3 replicas, round " + round));
          chains.add(runner.run(twoChains, CHAINS, "two chains, round " + round));
          alone.add(runner.run(oneChain, CHAINS, "one chain alone, round " + round));
          if (round < rounds) {
            cluster.removeReplica("executor-2");
            cluster.removeReplica("executor-3");
            cluster.restart("executor", single);
          }
        }
        report(rounds, one, three, chains, alone);
      }
    }
  }

  private static Map<String, String> cacheOf(Path work, String replica) {
    return Map.of("agentos.workspace.git.cache-dir", work.resolve("git-" + replica).toString());
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(base);
    merged.putAll(more);
    return merged;
  }

  /**
   * One cycle's times: submit to COMPLETED, and the EXECUTE phase from its first step's start to
   * its last step's end; {@code parallelPart}, the same for the steps after the first.
   */
  private record Span(Duration cycle, Duration execute, Duration parallelPart) {}

  private static final class Runner {
    private final LocalCluster cluster;
    private final CycleWatch watch;
    private final GitRemote remote;
    private final CycleStore store;
    private int repos;

    Runner(LocalCluster cluster, CycleWatch watch, GitRemote remote) throws Exception {
      this.cluster = cluster;
      this.watch = watch;
      this.remote = remote;
      this.store = CycleStore.open(cluster.nc());
    }

    String sixParallel() throws Exception {
      StringBuilder tasks =
          new StringBuilder("# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Create the package\n");
      tasks.append("\n## Phase 2: Foundational\n\n");
      IntStream.rangeClosed(2, 7)
          .forEach(i -> tasks.append(String.format("- [ ] T%03d [P] Shape %d%n", i, i)));
      return repo(tasks.toString());
    }

    /** Agent OS v1 tasks whose "(Depends on: Task N)" make two chains of three. */
    String twoChains() throws Exception {
      return chains(
          """
          - [ ] 4. D
          - [ ] 5. E (Depends on: Task 4)
          - [ ] 6. F (Depends on: Task 5)
          """);
    }

    /**
     * The first of those chains alone: its critical path as Agent OS runs it, with no neighbour.
     */
    String oneChain() throws Exception {
      return chains("");
    }

    private String chains(String more) throws Exception {
      String name = "bench" + (++repos);
      remote.create(
          name,
          Map.of(
              CHAINS + "/spec.md",
              "# Spec: Chains\n",
              CHAINS + "/tasks.md",
              """
              # Spec Tasks

              - [ ] 1. A
              - [ ] 2. B (Depends on: Task 1)
              - [ ] 3. C (Depends on: Task 2)
              """
                  + more));
      return name;
    }

    private String repo(String tasks) throws Exception {
      String name = "bench" + (++repos);
      remote.create(
          name,
          Map.of(
              ".specify/memory/constitution.md",
              "Small steps.\n",
              SPEC + "/spec.md",
              "# Shapes\n",
              SPEC + "/tasks.md",
              tasks));
      return name;
    }

    Span run(String repo, String spec, String label) throws Exception {
      String cycleId = "bench-par-" + UUID.randomUUID().toString().substring(0, 8);
      CompletableFuture<CycleWatch.Outcome> outcome = watch.outcome(cycleId);
      ObjectNode request = Json.mapper().createObjectNode();
      request.put("project", "bench");
      request.put("cycle_id", cycleId);
      request.put("spec", spec);
      request
          .putObject("workspace")
          .putObject("git")
          .put("url", remote.url(repo))
          .put("ref", "main");
      long started = System.nanoTime();
      Message reply =
          cluster
              .nc()
              .request(Topology.apiSubject("submit"), Json.write(request), Duration.ofSeconds(10));
      if (reply == null || Json.tree(reply.getData()).has("error")) {
        throw new IllegalStateException(
            "submit refused: " + (reply == null ? "no reply" : new String(reply.getData())));
      }
      CycleWatch.Outcome end = Driver.await(outcome, DEADLINE, "cycle " + cycleId + " to finish");
      if (!end.completed()) {
        throw new IllegalStateException(cycleId + " ended " + end.status());
      }
      CycleState state = store.require(cycleId);
      List<StepRecord> steps = state.currentIteration().execution().steps();
      Span span =
          new Span(
              Duration.ofNanos(end.atNanos() - started),
              between(steps),
              between(steps.subList(1, steps.size())));
      System.err.printf(
          "bench: %s: cycle %d ms, EXECUTE %d ms, steps after the first %d ms%n",
          label,
          span.cycle().toMillis(),
          span.execute().toMillis(),
          span.parallelPart().toMillis());
      return span;
    }

    private static Duration between(List<StepRecord> steps) {
      Instant first =
          steps.stream().map(StepRecord::startedAt).min(Instant::compareTo).orElseThrow();
      Instant last =
          steps.stream().map(StepRecord::finishedAt).max(Instant::compareTo).orElseThrow();
      return Duration.between(first, last);
    }
  }

  private static void report(
      int rounds, List<Span> one, List<Span> three, List<Span> chains, List<Span> alone) {
    System.out.printf(
        "| parallel steps, %d rounds, 1-s agent | 1 replica × 1 slot | 3 replicas × 2 slots |"
            + " speed-up |%n|---|---|---|---|%n",
        rounds);
    row("whole cycle (7 steps: Setup, then six [P]), median", one, three, Span::cycle);
    row("EXECUTE, first step's start to last step's end", one, three, Span::execute);
    row("the six [P] steps, first start to last end", one, three, Span::parallelPart);
    Duration critical = STEP.multipliedBy(3);
    Duration median = median(chains.stream().map(Span::execute).toList());
    Duration single = median(alone.stream().map(Span::execute).toList());
    System.out.print(
        "\n| two chains of three 1-s steps on 3 replicas | EXECUTE median | against | over it |\n"
            + "|---|---|---|---|\n");
    System.out.printf(
        "| A→B→C beside D→E→F | %d ms | three agent runs, %d ms | %+.0f %% |%n",
        median.toMillis(), critical.toMillis(), over(median, critical));
    System.out.printf(
        "| A→B→C beside D→E→F | %d ms | A→B→C alone, %d ms | %+.0f %% |%n",
        median.toMillis(), single.toMillis(), over(median, single));
  }

  private static double over(Duration measured, Duration base) {
    return 100.0 * (measured.toMillis() - base.toMillis()) / base.toMillis();
  }

  private static void row(
      String what,
      List<Span> one,
      List<Span> three,
      java.util.function.Function<Span, Duration> measure) {
    Duration a = median(one.stream().map(measure).toList());
    Duration b = median(three.stream().map(measure).toList());
    System.out.printf(
        "| %s | %d ms | %d ms | %.2f× |%n",
        what, a.toMillis(), b.toMillis(), (double) a.toMillis() / Math.max(1, b.toMillis()));
  }

  private static Duration median(List<Duration> values) {
    List<Duration> sorted = values.stream().sorted().collect(Collectors.toList());
    return sorted.get(sorted.size() / 2);
  }
}
