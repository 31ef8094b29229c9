package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.CycleState;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.GitRemote;
import dev.agentos.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
  private static final String SPEC_KIT = ParallelAgent.SPEC_KIT;
  private static final String V1 = Workspaces.SPEC;
  private static final List<String> REPLICAS = List.of("executor", "executor-2", "executor-3");

  private static GitRemote remote;
  private static ParallelAgent agent;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    remote = GitRemote.start();
    agent = ParallelAgent.on(remote);
    Map<String, String> properties = new LinkedHashMap<>(ParallelAgent.allowing(remote));
    properties.put("agentos.agents.executor.command", agent.command());
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
    agent.reset(1);
  }

  @Test
  void sixIndependentTasksRunAtOnceOnThreeReplicasEachMergedWithItsBoxTicked() throws Exception {
    // Each of the six waits for the others to start: they all end only if all six ran at once.
    agent.startTogether("2 3 4 5 6 7");
    String repo = agent.specKitRepo(6);
    String cycleId = agent.submit(cluster, repo, SPEC_KIT, null);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);

    List<PlanStep> plan = done.currentIteration().plan().steps();
    assertEquals(7, plan.size(), plan.toString());
    for (PlanStep step : plan.subList(1, 7)) {
      assertEquals(List.of("1"), step.dependsOn(), "each [P] task waits for Setup only: " + step);
    }
    List<ParallelAgent.Run> runs = agent.runs(cycleId);
    List<ParallelAgent.Run> six = runs.stream().filter(r -> !r.step().equals("1")).toList();
    assertEquals(6, six.size(), "each of the six ran once: " + runs);
    long lastStart = six.stream().mapToLong(ParallelAgent.Run::start).max().orElseThrow();
    long firstEnd = six.stream().mapToLong(ParallelAgent.Run::end).min().orElseThrow();
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
    String cycleId = agent.submit(cluster, repo, V1, null);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);

    Map<String, ParallelAgent.Run> byStep =
        agent.runs(cycleId).stream()
            .collect(Collectors.toMap(ParallelAgent.Run::step, r -> r, (a, b) -> a));
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
    agent.shareOneFile("2 3");
    String repo = agent.specKitRepo(2);
    String cycleId = agent.submit(cluster, repo, SPEC_KIT, null);
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
        List.of("2", "3").stream().filter(s -> Files.exists(agent.prompt(cycleId, s, 2))).toList();
    assertEquals(1, rerun.size(), "exactly one step ran again: " + agent.runs(cycleId));
    String again = Files.readString(agent.prompt(cycleId, rerun.get(0), 2));
    assertTrue(again.contains("conflicted with changes other steps merged"), again);
    assertTrue(again.contains("shared.txt"), "the conflict names the file: " + again);
    assertEquals(
        shared.get(1), "step " + rerun.get(0), "the re-run added its line to the other's file");
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

  private static String v1Repo(String taskLines) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(V1 + "/spec.md", "# Spec: Shopping cart\n\nCustomers keep items in a cart.\n");
    files.put(V1 + "/tasks.md", "# Spec Tasks\n\n## Tasks\n\n" + taskLines);
    return agent.newRepo(files);
  }

  private static List<String> lines(String text) {
    return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
  }
}
