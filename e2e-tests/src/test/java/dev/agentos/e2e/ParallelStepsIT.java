package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.Await;
import dev.agentos.testing.GitRemote;
import dev.agentos.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps of one cycle that do not wait for each other run at once on three executor replicas (two
 * slots each), each in a worktree and on a branch of its own, merged into the cycle branch of a
 * real git remote ({@code git daemon}) when it completes. The agent logs each start and end with
 * the time in milliseconds, outside every workspace, so that overlaps and re-runs can be read.
 */
class ParallelStepsIT {
  private static final Duration CYCLE = Duration.ofSeconds(180);
  private static final String SPEC_KIT = "specs/001-shapes";
  private static final String V1 = Workspaces.SPEC;
  private static final List<String> REPLICAS = List.of("executor", "executor-2", "executor-3");

  private static GitRemote remote;
  private static Cluster cluster;
  private static Path calls;
  private static Path prompts;
  private static Path delay;
  private static Path sharedSteps;
  private static Path together;
  private static int repos;

  @BeforeAll
  static void start() throws Exception {
    remote = GitRemote.start();
    Path agentDir = Files.createTempDirectory("agentos-parallel-agent-");
    calls = agentDir.resolve("calls.log");
    prompts = Files.createDirectories(agentDir.resolve("prompts"));
    delay = agentDir.resolve("delay");
    sharedSteps = agentDir.resolve("shared-steps");
    together = agentDir.resolve("together");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(
        "agentos.agents.executor.command",
        "bash "
            + Cluster.agentScript("parallel-agent.sh")
            + " "
            + calls
            + " "
            + prompts
            + " "
            + delay
            + " "
            + sharedSteps
            + " "
            + together);
    properties.put("agentos.workspace.git.allowed-remotes", remote.url("").replace(".git", ""));
    properties.put("agentos.workspace.git.network-timeout", "20s");
    properties.put("agentos.worker.concurrency", "2");
    properties.put("agentos.executor.max-parallel", "6");
    cluster = Cluster.start(properties);
    cluster.addReplica("executor", REPLICAS.get(1));
    cluster.addReplica("executor", REPLICAS.get(2));
  }

  @AfterAll
  static void stop() throws Exception {
    Cluster.closeAll(cluster, remote);
  }

  @BeforeEach
  void oneSecondPerStep() throws IOException {
    Files.writeString(delay, "1");
    Files.deleteIfExists(sharedSteps);
    Files.deleteIfExists(together);
  }

  @Test
  void sixIndependentTasksRunAtOnceOnThreeReplicasEachMergedWithItsBoxTicked() throws Exception {
    // Each of the six waits for the others to start: they all end only if all six ran at once.
    Files.writeString(together, "2 3 4 5 6 7\n");
    String repo = specKitRepo(6);
    String cycleId = submit(repo, SPEC_KIT);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);

    List<PlanStep> plan = done.currentIteration().plan().steps();
    assertEquals(7, plan.size(), plan.toString());
    for (PlanStep step : plan.subList(1, 7)) {
      assertEquals(List.of("1"), step.dependsOn(), "each [P] task waits for Setup only: " + step);
    }
    List<Run> runs = runs(cycleId);
    List<Run> six = runs.stream().filter(r -> !r.step().equals("1")).toList();
    assertEquals(6, six.size(), "each of the six ran once: " + runs);
    long lastStart = six.stream().mapToLong(Run::start).max().orElseThrow();
    long firstEnd = six.stream().mapToLong(Run::end).min().orElseThrow();
    assertTrue(lastStart < firstEnd, "all six agents ran at the same time: " + six);
    assertEquals(
        Set.copyOf(REPLICAS), replicasThatClaimedSteps(cycleId), "every replica ran steps");

    String branch = "agentos/" + cycleId;
    List<String> own =
        lines(remote.git(repo, "log", "--no-merges", "--format=%s", "main.." + branch));
    for (StepRecord step : done.currentIteration().execution().steps()) {
      assertEquals(StepStatus.COMPLETED, step.status(), step.toString());
      assertEquals(
          1,
          own.stream().filter(c -> c.startsWith("agentos: step " + step.id() + " ")).count(),
          "one commit of step " + step.id() + "'s own on the cycle branch: " + own);
      // Fails the test when the step's merge (or fast-forward) is not on the branch.
      remote.git(repo, "merge-base", "--is-ancestor", step.workspaceRef(), branch);
      assertEquals(
          "step " + step.id() + " done",
          remote.git(repo, "show", branch + ":work/step-" + step.id() + ".txt"));
      assertEquals(
          List.of("work/step-" + step.id() + ".txt"),
          step.changes().files(),
          "what the step changed, read from its commit: " + step);
    }
    assertEquals(
        5,
        lines(remote.git(repo, "log", "--merges", "--format=%H", "main.." + branch)).size(),
        "Setup and the first of the six to finish fast-forward the branch, the other five merge");
    String tasks = remote.git(repo, "show", branch + ":" + SPEC_KIT + "/tasks.md");
    assertFalse(tasks.contains("[ ]"), "every box is ticked on the branch:\n" + tasks);
    assertEquals(
        remote.git(repo, "rev-parse", branch),
        done.workspace().git().head(),
        "the state records the branch's tip, the recap on top of the last merge");
  }

  @Test
  void ofTwoChainsEachStepStartsAfterTheMergeOfTheStepItWaitsForAndTheChainsOverlap()
      throws Exception {
    String repo =
        v1Repo(
            """
            - [ ] 1. Chain one, first
            - [ ] 2. Chain one, second (Depends on: Task 1)
            - [ ] 3. Chain one, third (Depends on: Task 2)
            - [ ] 4. Chain two, first
            - [ ] 5. Chain two, second (Depends on: Task 4)
            - [ ] 6. Chain two, third (Depends on: Task 5)
            """);
    String cycleId = submit(repo, V1);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);

    Map<String, Run> byStep =
        runs(cycleId).stream().collect(Collectors.toMap(Run::step, r -> r, (a, b) -> a));
    assertEquals(Set.of("1", "2", "3", "4", "5", "6"), byStep.keySet(), byStep.toString());
    for (String[] edge : new String[][] {{"1", "2"}, {"2", "3"}, {"4", "5"}, {"5", "6"}}) {
      StepRecord before = done.currentIteration().execution().step(edge[0]).orElseThrow();
      assertTrue(
          byStep.get(edge[1]).start() >= before.finishedAt().toEpochMilli(),
          "step "
              + edge[1]
              + " started after step "
              + edge[0]
              + " was merged and recorded: "
              + byStep
              + " "
              + before);
      String earlier =
          done.currentIteration().execution().step(edge[0]).orElseThrow().workspaceRef();
      String later = done.currentIteration().execution().step(edge[1]).orElseThrow().workspaceRef();
      // Fails the test when the later step's commit was not built on the earlier one's.
      remote.git(repo, "merge-base", "--is-ancestor", earlier, later);
      String claimedBy = replicaThatClaimed(cycleId, edge[1]);
      assertEquals(
          replicaThatClaimed(cycleId, edge[0]),
          claimedBy,
          "the replica that ended step " + edge[0] + " went on with " + edge[1]);
      assertTrue(
          claimLine(cycleId, edge[1], claimedBy).contains("after the step it waits for"),
          "step " + edge[1] + " started from the merge of " + edge[0] + ", without a fetch");
    }
    long chainOneEnd = byStep.get("3").end();
    long chainTwoEnd = byStep.get("6").end();
    assertTrue(
        byStep.get("4").start() < chainOneEnd && byStep.get("1").start() < chainTwoEnd,
        "the two chains ran side by side: " + byStep);
  }

  @Test
  void ofTwoStepsThatEditTheSameLinesOneMergesAndTheOtherRunsAgainOnTopWithTheConflict()
      throws Exception {
    Files.writeString(sharedSteps, "2 3\n");
    String repo = specKitRepo(2);
    String cycleId = submit(repo, SPEC_KIT);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);

    for (String step : List.of("2", "3")) {
      assertEquals(
          StepStatus.COMPLETED,
          done.currentIteration().execution().step(step).orElseThrow().status());
    }
    String branch = "agentos/" + cycleId;
    List<String> shared = lines(remote.git(repo, "show", branch + ":shared.txt"));
    assertEquals(Set.of("step 2", "step 3"), Set.copyOf(shared), "both steps' lines: " + shared);
    List<String> rerun =
        List.of("2", "3").stream().filter(s -> Files.exists(prompt(cycleId, s, 2))).toList();
    assertEquals(1, rerun.size(), "exactly one step ran again: " + runs(cycleId));
    String again = Files.readString(prompt(cycleId, rerun.get(0), 2));
    assertTrue(again.contains("conflicted with changes other steps merged"), again);
    assertTrue(again.contains("shared.txt"), "the conflict names the file: " + again);
    assertEquals(
        shared.get(1), "step " + rerun.get(0), "the re-run added its line to the other's file");
  }

  @Test
  void aReplicaKilledWhileThreeStepsRunLosesOnlyItsOwnStepsAndNoCompletedStepRunsAgain()
      throws Exception {
    Files.writeString(delay, "4");
    String repo = specKitRepo(6);
    String cycleId = submit(repo, SPEC_KIT);
    Await.until(
        CYCLE,
        "three steps of " + cycleId + " to run",
        () -> runs(cycleId).stream().filter(r -> !r.step().equals("1")).count() >= 3);
    CycleState running = cluster.state(cycleId);
    StepRecord held =
        running.currentIteration().execution().steps().stream()
            .filter(s -> s.status() == StepStatus.RUNNING && s.lease() != null)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no step holds a lease: " + running));
    ServiceProcess holder =
        cluster.services().values().stream()
            .filter(s -> held.lease().isHeldByProcess(s.pid()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no process holds " + held.lease()));
    Files.writeString(delay, "1");
    cluster.remove(holder.name());
    try {
      CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
      List<String> log = callLines(cycleId);
      for (StepRecord step : done.currentIteration().execution().steps()) {
        assertEquals(StepStatus.COMPLETED, step.status(), step.toString());
        assertEquals(
            1,
            log.stream()
                .filter(l -> l.split(" ")[2].equals(step.id()) && l.endsWith(" done"))
                .count(),
            "step " + step.id() + " finished once: " + log);
      }
      assertTrue(
          log.stream().anyMatch(l -> l.contains(" " + held.id() + " 2 start")),
          "the killed replica's step " + held.id() + " ran again elsewhere: " + log);
    } finally {
      cluster.addReplica("executor", holder.name());
    }
  }

  /** One agent run of a step, from the agent's own log: when it started and when it ended. */
  private record Run(String step, int attempt, long start, long end) {}

  private static List<Run> runs(String cycleId) {
    List<String> log = callLines(cycleId);
    List<Run> runs = new ArrayList<>();
    for (String line : log) {
      String[] f = line.split(" ");
      if (!f[4].equals("start")) {
        continue;
      }
      long end =
          log.stream()
              .map(l -> l.split(" "))
              .filter(e -> e[2].equals(f[2]) && e[3].equals(f[3]) && e[4].equals("done"))
              .mapToLong(e -> Long.parseLong(e[0]))
              .findFirst()
              .orElse(Long.MAX_VALUE);
      runs.add(new Run(f[2], Integer.parseInt(f[3]), Long.parseLong(f[0]), end));
    }
    return runs;
  }

  /** The call log's lines of {@code cycleId}: "ms cycle step attempt start|done". */
  private static List<String> callLines(String cycleId) {
    try {
      if (!Files.exists(calls)) {
        return List.of();
      }
      return Files.readAllLines(calls).stream()
          .filter(l -> l.split(" ").length == 5 && l.split(" ")[1].equals(cycleId))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Path prompt(String cycleId, String step, int run) {
    return prompts.resolve(cycleId + "-" + step + "-" + run + ".txt");
  }

  /** The executor replica whose log says it claimed step {@code stepId} of {@code cycleId}. */
  private static String replicaThatClaimed(String cycleId, String stepId) throws IOException {
    for (String name : REPLICAS) {
      if (!claimLine(cycleId, stepId, name).isEmpty()) {
        return name;
      }
    }
    throw new AssertionError("no replica claimed step " + stepId + " of " + cycleId);
  }

  /** The line of replica {@code name}'s log that says it claimed the step; empty if none. */
  private static String claimLine(String cycleId, String stepId, String name) throws IOException {
    ServiceProcess replica = cluster.service(name);
    if (replica == null) {
      return "";
    }
    String claim = "cycle=" + cycleId + " step=" + stepId + " iteration=1 claimed by";
    return Files.readAllLines(replica.log()).stream()
        .filter(l -> l.contains(claim))
        .findFirst()
        .orElse("");
  }

  /** The executor replicas whose log says they claimed a step of {@code cycleId}. */
  private static Set<String> replicasThatClaimedSteps(String cycleId) throws IOException {
    Set<String> replicas = new TreeSet<>();
    for (String name : REPLICAS) {
      ServiceProcess replica = cluster.service(name);
      if (replica != null
          && Files.readString(replica.log()).contains("cycle=" + cycleId + " step=")) {
        replicas.add(name);
      }
    }
    return replicas;
  }

  /**
   * A Spec Kit feature: Setup's one task, then {@code parallel} tasks marked [P] in the next phase,
   * each waiting for Setup only.
   */
  private static String specKitRepo(int parallel) throws Exception {
    StringBuilder tasks =
        new StringBuilder(
            "# Tasks: Shapes\n\n## Phase 1: Setup\n\n- [ ] T001 Create the package\n");
    tasks.append("\n## Phase 2: Foundational\n\n");
    IntStream.rangeClosed(2, parallel + 1)
        .forEach(i -> tasks.append(String.format("- [ ] T%03d [P] Shape number %d%n", i, i)));
    Map<String, String> files = new LinkedHashMap<>();
    files.put(".specify/memory/constitution.md", "Keep shapes small.\n");
    files.put(SPEC_KIT + "/spec.md", "# Shapes\n\nEach shape in a file of its own.\n");
    files.put(SPEC_KIT + "/tasks.md", tasks.toString());
    return newRepo(files);
  }

  private static String v1Repo(String taskLines) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(V1 + "/spec.md", "# Spec: Shopping cart\n\nCustomers keep items in a cart.\n");
    files.put(V1 + "/tasks.md", "# Spec Tasks\n\n## Tasks\n\n" + taskLines);
    return newRepo(files);
  }

  private static String newRepo(Map<String, String> files) throws IOException {
    String name = "shapes" + (++repos);
    remote.create(name, files);
    return name;
  }

  private static String submit(String repo, String spec) throws Exception {
    String body =
        "{\"project\":\"shop\",\"workspace\":{\"git\":{\"url\":\""
            + remote.url(repo)
            + "\",\"ref\":\"main\"}},\"spec\":\""
            + spec
            + "\"}";
    String cycleId =
        cluster.requestJson(Topology.apiSubject("submit"), body).path("cycle_id").asText();
    assertFalse(cycleId.isBlank(), "submit of " + body + " replied without a cycle id");
    return cycleId;
  }

  private static List<String> lines(String text) {
    return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
  }
}
