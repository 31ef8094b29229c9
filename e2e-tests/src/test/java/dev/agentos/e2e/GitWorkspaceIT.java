package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.Await;
import dev.agentos.testing.GitRemote;
import dev.agentos.testing.ServiceProcess;
import dev.agentos.testing.StallingProxy;
import dev.agentos.worker.Artifacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cycles whose workspace is a git remote ({@code git daemon} on 127.0.0.1, a temp dir no service
 * shares): each service process works in a cache of its own, and all they share is the remote and
 * NATS.
 */
class GitWorkspaceIT {
  private static final Duration CYCLE = Duration.ofSeconds(120);
  private static final String SPEC = Workspaces.SPEC;

  private static GitRemote remote;
  private static StallingProxy proxy;
  private static Cluster cluster;
  private static Path calls;
  private static Path delay;
  private static int repos;

  @BeforeAll
  static void start() throws Exception {
    remote = GitRemote.start();
    proxy = new StallingProxy(remote.port());
    Path agentDir = Files.createTempDirectory("agentos-git-agent-");
    calls = agentDir.resolve("calls.log");
    delay = agentDir.resolve("delay");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(
        "agentos.agents.executor.command",
        "bash " + Cluster.agentScript("git-agent.sh") + " " + calls + " " + delay);
    properties.put(
        "agentos.workspace.git.allowed-remotes",
        remote.url("").replace(".git", "") + "," + proxied(""));
    properties.put("agentos.workspace.git.fast-forward-allowed", "true");
    properties.put("agentos.workspace.git.cache-sweep-interval", "2s");
    properties.put("agentos.workspace.git.network-timeout", "20s");
    cluster = Cluster.start(properties);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (remote != null) {
      remote.close();
    }
  }

  @Test
  void twoThreeTaskCyclesOnOneRemoteEachCommitEveryStepTheRecapAndReviewsNoteToTheirOwnBranch()
      throws Exception {
    String repo = newRepo();
    String first = submit(repo);
    String second = submit(repo);
    for (String cycleId : List.of(first, second)) {
      CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
      String branch = "agentos/" + cycleId;
      assertEquals(branch, done.workspace().git().branch());
      String tip = remote.git(repo, "rev-parse", branch);
      assertEquals(tip, done.workspace().git().head(), "the state records the remote's tip");
      List<String> subjects = lines(remote.git(repo, "log", "--format=%s", "main.." + branch));
      assertEquals(5, subjects.size(), "three steps, the recap, Review's note: " + subjects);
      assertTrue(subjects.get(1).contains("recap"), subjects.toString());
      // No check ran and no review agent judged: Review says so in the recap, on the branch.
      String recap = reviewedRecap(repo, done);
      assertTrue(
          recap.contains("## Verification\n\n⚠️ Review: PASS, score 89 (MEDIUM), unverified:"),
          recap);
      List<String> shas = lines(remote.git(repo, "rev-list", "--reverse", "main.." + branch));
      List<StepRecord> steps = done.currentIteration().execution().steps();
      for (int i = 0; i < 3; i++) {
        assertEquals(StepStatus.COMPLETED, steps.get(i).status());
        assertEquals(shas.get(i), steps.get(i).workspaceRef(), "step " + (i + 1) + "'s commit");
        assertEquals(
            "step " + (i + 1) + " done",
            remote.git(repo, "show", shas.get(i) + ":work/step-" + (i + 1) + ".txt"));
      }
      String tasks = remote.git(repo, "show", branch + ":" + SPEC + "/tasks.md");
      assertFalse(tasks.contains("[ ]"), "every box is ticked on the branch:\n" + tasks);
      assertTrue(remote.git(repo, "show", "main:" + SPEC + "/tasks.md").contains("[ ]"));
    }
  }

  @Test
  void reviewCommitsTheRecapWithItsCriteriaVerdictsAloneNotWhatItsCheckBuilt() throws Exception {
    String repo =
        newRepo(
            "\n## Quality Gates\n\n- Reviewed by a person\n",
            Map.of(
                ".agent-os/checks.yml",
                "checks:\n  build: mkdir -p target && echo built > target/app.jar\n"));
    String cycleId = submit(repo);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    Review review = done.currentIteration().review();
    assertNull(review.unverified(), "the workspace's check judged the work: " + review);
    assertTrue(
        review.checks().stream().anyMatch(c -> c.name().equals("build") && c.passed()),
        review.checks().toString());

    String recap = reviewedRecap(repo, done);
    assertTrue(recap.contains("Judged by Review from the files alone"), recap);
    assertTrue(recap.contains("Reviewed by a person"), recap);
    assertFalse(recap.contains("## Verification"), recap);
    assertEquals(
        "",
        remote.git(repo, "ls-tree", "-r", "--name-only", "agentos/" + cycleId, "target"),
        "the check's build output is not on the branch");
  }

  /**
   * Checks that the branch's tip is Review's commit of the iteration's recap alone, recorded in the
   * state, and that the recap the state refers to in the artifact store (what the console and
   * {@code agentos.api.artifact} serve) is that same text; returns it.
   */
  private static String reviewedRecap(String repo, CycleState done) throws Exception {
    String tip = remote.git(repo, "rev-parse", "agentos/" + done.cycleId());
    assertEquals(tip, done.workspace().git().head(), "the state records Review's push");
    assertEquals(
        "agentos: review of iteration 1", remote.git(repo, "log", "-1", "--format=%s", tip));
    ExpressResult express = done.currentIteration().express();
    assertEquals(
        express.recapPath(),
        remote.git(repo, "diff-tree", "--no-commit-id", "--name-only", "-r", tip),
        "Review's commit holds the recap alone");
    String recap = remote.git(repo, "show", tip + ":" + express.recapPath());
    JsonNode stored =
        cluster.requestJson(
            Topology.apiSubject("artifact"),
            Json.writeString(
                Map.of("cycle_id", done.cycleId(), "name", express.recap().artifact())));
    String content = stored.path("content").asText();
    assertEquals(
        express.recap().sha256(),
        Artifacts.sha256(content.getBytes(StandardCharsets.UTF_8)),
        "the state refers to what is stored: " + stored);
    assertEquals(recap, content.strip(), "the stored recap is the one Review rewrote");
    return recap;
  }

  @Test
  void diffAndRevertThroughTheExecutorGiveWhatGitOnTheRemoteShows() throws Exception {
    String repo = newRepo();
    String cycleId = submit(repo);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    String branch = "agentos/" + cycleId;
    String step2 = done.currentIteration().execution().step("2").orElseThrow().workspaceRef();

    JsonNode stepDiff =
        cluster.requestJson(
            "agentos.executor.diff", "{\"cycle_id\":\"" + cycleId + "\",\"step\":\"2\"}");
    assertEquals(
        remote.git(repo, "diff", "--no-color", step2 + "^", step2).strip(),
        stepDiff.path("diff").asText().strip(),
        stepDiff.toString());
    JsonNode cycleDiff =
        cluster.requestJson("agentos.executor.diff", "{\"cycle_id\":\"" + cycleId + "\"}");
    assertEquals(
        lines(remote.git(repo, "diff", "--name-only", "main", branch)),
        Json.convertStored(cycleDiff.path("files"), List.class));

    // The same through the CLI, which asks the executor over NATS.
    CliRunner.Result cliDiff = agentos("diff", cycleId, "--step", "2");
    assertEquals(0, cliDiff.code(), cliDiff.toString());
    assertEquals(
        remote.git(repo, "diff", "--no-color", step2 + "^", step2).strip(), cliDiff.out().strip());

    String step3 = done.currentIteration().execution().step("3").orElseThrow().workspaceRef();
    CliRunner.Result reverted = agentos("revert", cycleId, "--step", "3");
    assertEquals(0, reverted.code(), reverted.toString());
    String commit = remote.git(repo, "rev-parse", branch);
    assertTrue(
        reverted.out().contains("step 3 (" + step3 + ") reverted by " + commit),
        reverted.toString());
    assertEquals(done.workspace().git().head(), remote.git(repo, "rev-parse", commit + "^"));
    assertEquals(
        remote.git(repo, "diff", "--name-only", step3 + "^", step3),
        remote.git(repo, "diff", "--name-only", commit + "^", commit));
    assertEquals("", remote.git(repo, "diff", step3 + "^", commit, "--", "work/step-3.txt"));
    CycleState after = cluster.state(cycleId);
    assertEquals(commit, after.workspace().git().head());
    assertEquals(step3, after.extra().get("reverts").get(0).path("reverted").asText());
  }

  @Test
  void aStepWhoseExecutorIsKilledResumesOnAnotherReplicaFromThePushedCommit() throws Exception {
    ServiceProcess spare = cluster.addReplica("executor", "executor-git-2");
    String repo = newRepo();
    Files.writeString(delay, "4");
    String cycleId = submit(repo);
    Await.until(
        CYCLE, "step 2 of " + cycleId + " to start", () -> calledWith(cycleId + " 2 1 start"));
    CycleState running = cluster.state(cycleId);
    String stepOne = running.currentIteration().execution().step("1").orElseThrow().workspaceRef();
    assertEquals(stepOne, remote.git(repo, "rev-parse", "agentos/" + cycleId));
    ServiceProcess holder =
        cluster.services().values().stream()
            .filter(s -> running.lease() != null && running.lease().isHeldByProcess(s.pid()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no process holds " + running.lease()));
    Files.delete(delay);
    String killed = holder.name();
    cluster.remove(killed);

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    List<String> log = lines(Files.readString(calls));
    assertEquals(1, count(log, cycleId + " 1 "), "step 1 ran once, before the kill: " + log);
    assertFalse(log.contains(cycleId + " 2 1 done"), "the killed attempt never finished: " + log);
    assertTrue(log.contains(cycleId + " 2 2 done"), "step 2 ran again elsewhere: " + log);
    assertEquals(
        stepOne, done.currentIteration().execution().step("1").orElseThrow().workspaceRef());
    List<String> shas =
        lines(remote.git(repo, "rev-list", "--reverse", "main..agentos/" + cycleId));
    assertEquals(5, shas.size());
    assertEquals(stepOne, shas.get(0), "the first step's commit is kept");
    if (!killed.equals(spare.name())) {
      cluster.addReplica("executor", killed);
    }
  }

  @Test
  void someonePushingToTheCycleBranchPausesItAndAResumeAfterAResetContinues() throws Exception {
    String repo = newRepo();
    Files.writeString(delay, "6");
    String cycleId = submit(repo);
    String branch = "agentos/" + cycleId;
    Await.until(
        CYCLE, "step 2 of " + cycleId + " to start", () -> calledWith(cycleId + " 2 1 start"));
    String recorded = remote.git(repo, "rev-parse", branch);
    Path person = remote.cloneOf(repo, branch);
    Files.writeString(person.resolve("hotfix.txt"), "a person's commit\n");
    GitRemote.commit(person, "a person's hotfix");
    GitRemote.run(person, "push", "-q", "origin", branch);
    Files.delete(delay);

    CycleState paused = cluster.awaitStatus(cycleId, Status.PAUSED, CYCLE);
    assertTrue(paused.pauseReason().contains("someone pushed"), paused.pauseReason());
    assertNotEquals(recorded, remote.git(repo, "rev-parse", branch), "nothing was overwritten");

    GitRemote.run(person, "push", "-q", "--force", "origin", recorded + ":refs/heads/" + branch);
    cluster.requestJson(Topology.apiSubject("resume"), "{\"cycle_id\":\"" + cycleId + "\"}");
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    assertEquals(remote.git(repo, "rev-parse", branch), done.workspace().git().head());
    assertEquals(5, lines(remote.git(repo, "rev-list", "main.." + branch)).size());
  }

  @Test
  void oneCycleAtATimeWorksInALocalTreeAndIsolatedCyclesEachGetAWorktreeOfTheirOwn()
      throws Exception {
    Path tree = Workspaces.withSpec(3);
    String first = submitLocal(tree, false).path("cycle_id").asText();
    JsonNode refused = submitLocal(tree, false);
    assertEquals("CONFLICT", refused.path("error").path("code").asText(), refused.toString());
    assertTrue(refused.path("error").path("message").asText().contains(first), refused.toString());
    cluster.awaitStatus(first, Status.COMPLETED, CYCLE);
    String next = submitLocal(tree, false).path("cycle_id").asText();
    cluster.awaitStatus(next, Status.COMPLETED, CYCLE);

    String head = GitRemote.run(tree, "rev-parse", "HEAD");
    String status = GitRemote.run(tree, "status", "--porcelain");
    String a = submitLocal(tree, true).path("cycle_id").asText();
    String b = submitLocal(tree, true).path("cycle_id").asText();
    for (String cycleId : List.of(a, b)) {
      CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
      String branch = "agentos/" + cycleId;
      List<String> shas = lines(GitRemote.run(tree, "rev-list", "--reverse", head + ".." + branch));
      assertEquals(5, shas.size(), "three steps, the recap and Review's note on " + branch);
      assertEquals(
          shas.get(0), done.currentIteration().execution().step("1").orElseThrow().workspaceRef());
      assertFalse(GitRemote.run(tree, "show", branch + ":" + SPEC + "/tasks.md").contains("[ ]"));
    }
    assertEquals(head, GitRemote.run(tree, "rev-parse", "HEAD"), "the main tree is untouched");
    assertEquals(status, GitRemote.run(tree, "status", "--porcelain"));
  }

  @Test
  void everyServicesCacheDropsTheWorktreeOfAnEndedCycleAndKeepsTheRepository() throws Exception {
    String repo = newRepo();
    String cycleId = submit(repo);
    cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    List<Path> caches = caches();
    assertTrue(caches.size() >= 4, "every role checked the branch out: " + caches);
    Await.until(
        Duration.ofSeconds(60),
        "no cache to hold a worktree of " + cycleId,
        () -> caches.stream().noneMatch(cache -> holdsWorktree(cache, cycleId)));
    for (Path cache : caches) {
      assertTrue(
          Files.list(cache.resolve("repos")).findAny().isPresent(),
          "the repository stays cached for the next cycle: " + cache);
    }
  }

  /** Each service's own cache (agentos.workspace.git.cache-dir is left at its default). */
  private static List<Path> caches() {
    return cluster.services().values().stream()
        .map(s -> Path.of(System.getProperty("java.io.tmpdir"), "agentos-git-" + s.pid()))
        .filter(Files::isDirectory)
        .toList();
  }

  /** The services' cached repositories of {@code url}. */
  private static List<Path> clonesOf(String url) throws java.io.IOException {
    List<Path> clones = new java.util.ArrayList<>();
    for (Path cache : caches()) {
      try (java.util.stream.Stream<Path> repos = Files.list(cache.resolve("repos"))) {
        repos
            .filter(r -> url.equals(GitRemote.run(r, "config", "--get", "remote.origin.url")))
            .forEach(clones::add);
      }
    }
    return clones;
  }

  private static boolean holdsWorktree(Path cache, String cycleId) {
    try (java.util.stream.Stream<Path> remotes = Files.list(cache.resolve("work"))) {
      return remotes.anyMatch(remoteDir -> Files.exists(remoteDir.resolve(cycleId)));
    } catch (java.io.IOException e) {
      return false; // no work folder: no worktree
    }
  }

  @Test
  void aCycleThatAsksForAFastForwardMovesTheBaseBranchToItsHeadAtCompleted() throws Exception {
    String repo = newRepo();
    // A remote that allows filters, as hosted ones do: every service's cache is a partial clone.
    remote.git(repo, "config", "uploadpack.allowFilter", "true");
    String base = remote.git(repo, "rev-parse", "main");
    String cycleId = submit(remote.url(repo), ",\"deliver\":\"FAST_FORWARD\"");
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    JsonNode delivery = awaitDelivery(cycleId);
    assertEquals("DELIVERED", delivery.path("status").asText(), delivery.toString());
    String head = done.workspace().git().head();
    assertEquals(head, remote.git(repo, "rev-parse", "main"), "main is the cycle's head");
    assertEquals(base, remote.git(repo, "rev-list", "--max-parents=0", "main"));
    assertEquals("", remote.git(repo, "rev-list", "--merges", "main"), "no merge commit");
    assertEquals(5, lines(remote.git(repo, "rev-list", base + "..main")).size());
    List<Path> clones = clonesOf(remote.url(repo));
    assertTrue(clones.size() >= 4, "every role cached the remote: " + clones);
    for (Path clone : clones) {
      assertEquals(
          "true",
          GitRemote.run(clone, "config", "--get", "remote.origin.promisor"),
          "a partial clone: " + clone);
    }
  }

  @Test
  void behindABeforeCompleteGateTheFastForwardWaitsForTheApproval() throws Exception {
    String repo = newRepo();
    String base = remote.git(repo, "rev-parse", "main");
    String body =
        "{\"project\":\"shop\",\"workspace\":{\"git\":{\"url\":\""
            + remote.url(repo)
            + "\",\"ref\":\"main\",\"deliver\":\"FAST_FORWARD\"}},\"spec\":\""
            + SPEC
            + "\",\"options\":{\"approvals\":{\"before_complete\":true}}}";
    String cycleId =
        cluster.requestJson(Topology.apiSubject("submit"), body).path("cycle_id").asText();
    CycleState waiting = cluster.awaitStatus(cycleId, Status.AWAITING_APPROVAL, CYCLE);
    assertEquals(base, remote.git(repo, "rev-parse", "main"), "nothing delivered before it");
    assertEquals(null, waiting.extra().get("delivery"));

    cluster.requestJson(
        Topology.apiSubject("approve"), "{\"cycle_id\":\"" + cycleId + "\",\"approved\":true}");
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    JsonNode delivery = awaitDelivery(cycleId);
    assertEquals("DELIVERED", delivery.path("status").asText(), delivery.toString());
    assertEquals(done.workspace().git().head(), remote.git(repo, "rev-parse", "main"));
  }

  @Test
  void aFastForwardWhoseBaseMovedMidCycleLeavesTheBranchForReviewWithTheReason() throws Exception {
    String repo = newRepo();
    Files.writeString(delay, "3");
    String cycleId = submit(remote.url(repo), ",\"deliver\":\"FAST_FORWARD\"");
    Await.until(
        CYCLE, "step 1 of " + cycleId + " to start", () -> calledWith(cycleId + " 1 1 start"));
    Path person = remote.cloneOf(repo, "main");
    Files.writeString(person.resolve("hotfix.txt"), "a person's commit on main\n");
    String theirs = GitRemote.commit(person, "a person's hotfix on main");
    GitRemote.run(person, "push", "-q", "origin", "main");
    Files.delete(delay);

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    JsonNode delivery = awaitDelivery(cycleId);
    assertEquals("LEFT_FOR_REVIEW", delivery.path("status").asText(), delivery.toString());
    assertTrue(
        delivery.path("reason").asText().contains("main moved to " + theirs), delivery.toString());
    assertEquals(theirs, remote.git(repo, "rev-parse", "main"), "main is not touched");
    assertEquals(
        done.workspace().git().head(),
        remote.git(repo, "rev-parse", "agentos/" + cycleId),
        "the branch is left as the cycle made it");
    assertEquals("", remote.git(repo, "rev-list", "--merges", "--all"), "no merge commit");
  }

  @Test
  void aRemoteThatStopsAnsweringMidCycleHitsTheDeadlineAndTheCycleCompletesOnceItAnswers()
      throws Exception {
    String repo = newRepo();
    Files.writeString(delay, "3");
    String cycleId = submit(proxied(repo + ".git"), "");
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (io.nats.client.Connection nc =
        io.nats.client.Nats.connect(cluster.properties().get("agentos.nats.servers"))) {
      io.nats.client.Dispatcher dispatcher =
          nc.createDispatcher(
              m ->
                  events.add(
                      m.getSubject()
                          + " "
                          + new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8)));
      dispatcher.subscribe(Topology.EVENTS_PREFIX + cycleId + ".>");
      Await.until(
          CYCLE, "step 2 of " + cycleId + " to start", () -> calledWith(cycleId + " 2 1 start"));
      String stepOne = remote.git(repo, "rev-parse", "agentos/" + cycleId);
      proxy.stall(); // step 2's push (and every fetch after it) meets a remote that never answers
      long stalledAt = System.nanoTime();
      Files.delete(delay);
      Await.until(
          CYCLE,
          "the executor to give the phase back after the network deadline",
          () -> retried(events));
      Duration toRetry = Duration.ofNanos(System.nanoTime() - stalledAt);
      assertTrue(proxy.stalledConnections() > 0, "git reached the stalled remote");
      assertTrue(
          toRetry.compareTo(Duration.ofSeconds(15)) >= 0,
          "the attempt waited for the 20 s deadline, not less: " + toRetry);
      assertEquals(Status.EXECUTING, cluster.state(cycleId).status(), "the cycle did not fail");
      proxy.answer();

      CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
      assertEquals(
          remote.git(repo, "rev-parse", "agentos/" + cycleId), done.workspace().git().head());
      List<String> log = lines(Files.readString(calls));
      assertEquals(1, count(log, cycleId + " 1 "), "step 1 ran once: " + log);
      assertEquals(
          stepOne, done.currentIteration().execution().step("1").orElseThrow().workspaceRef());
      assertEquals(5, lines(remote.git(repo, "rev-list", "main..agentos/" + cycleId)).size());
    } finally {
      proxy.answer();
    }
  }

  /** The CLI, in this JVM, pointed at the test cluster's NATS. */
  private static CliRunner.Result agentos(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of(args));
    argv.addAll(List.of("--nats", cluster.nats.url()));
    Path state = Files.createTempDirectory("agentos-cli-state-");
    return new CliRunner(Cluster.repoRoot(), Map.of("AGENTOS_STATE_DIR", state.toString()))
        .run(argv.toArray(String[]::new));
  }

  private static boolean retried(List<String> events) {
    return events.stream().anyMatch(e -> e.contains("UNAVAILABLE") && e.contains("did not finish"));
  }

  private static JsonNode awaitDelivery(String cycleId) {
    Await.until(
        CYCLE,
        "the delivery of " + cycleId + " to be recorded",
        () -> {
          JsonNode d = cluster.state(cycleId).extra().get("delivery");
          return d != null && !"PENDING".equals(d.path("status").asText());
        });
    return cluster.state(cycleId).extra().get("delivery");
  }

  private static String proxied(String path) {
    return "git://127.0.0.1:" + proxy.port() + "/" + path;
  }

  private static JsonNode submitLocal(Path tree, boolean isolate) throws Exception {
    String body =
        "{\"project\":\"shop\",\"workspace\":{\"path\":\""
            + tree
            + "\""
            + (isolate ? ",\"isolate\":true" : "")
            + "},\"spec\":\""
            + SPEC
            + "\"}";
    return cluster.requestJson(Topology.apiSubject("submit"), body);
  }

  private static String newRepo() throws Exception {
    return newRepo("", Map.of());
  }

  /**
   * A repository of the three-task spec, {@code moreTasks} added to its tasks.md, and {@code more}
   * files.
   */
  private static String newRepo(String moreTasks, Map<String, String> more) throws Exception {
    String name = "shop" + (++repos);
    Map<String, String> files = new LinkedHashMap<>();
    files.put(SPEC + "/spec.md", "# Spec: Shopping cart\n\nCustomers keep items in a cart.\n");
    StringBuilder md = new StringBuilder("# Spec Tasks\n\n## Tasks\n\n");
    for (int i = 1; i <= 3; i++) {
      md.append("- [ ] ").append(i).append(". Task number ").append(i).append('\n');
    }
    files.put(SPEC + "/tasks.md", md + moreTasks);
    files.putAll(more);
    remote.create(name, files);
    return name;
  }

  private static String submit(String repo) throws Exception {
    return submit(remote.url(repo), "");
  }

  /** A cycle on {@code url}'s main, with {@code moreGit} added to its workspace.git. */
  private static String submit(String url, String moreGit) throws Exception {
    String body =
        "{\"project\":\"shop\",\"workspace\":{\"git\":{\"url\":\""
            + url
            + "\",\"ref\":\"main\""
            + moreGit
            + "}},\"spec\":\""
            + SPEC
            + "\"}";
    String cycleId =
        cluster.requestJson(Topology.apiSubject("submit"), body).path("cycle_id").asText();
    assertFalse(cycleId.isBlank(), "submit of " + body + " replied without a cycle id");
    return cycleId;
  }

  private static boolean calledWith(String line) {
    try {
      return Files.exists(calls) && Files.readAllLines(calls).contains(line);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static long count(List<String> log, String prefix) {
    return log.stream().filter(l -> l.startsWith(prefix) && l.endsWith(" start")).count();
  }

  private static List<String> lines(String text) {
    return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
  }
}
