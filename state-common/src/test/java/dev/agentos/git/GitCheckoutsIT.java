package dev.agentos.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.GitRef;
import dev.agentos.state.Workspace;
import dev.agentos.testing.GitRemote;
import dev.agentos.testing.SilentServer;
import dev.agentos.worker.PhaseWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git workspaces against a real remote ({@code git daemon}) that no cache shares a disk with; each
 * "replica" is a cache dir of its own.
 */
class GitCheckoutsIT {
  private static GitRemote remote;
  private static String url;

  @TempDir Path scratch;

  @BeforeAll
  static void startRemote() throws Exception {
    remote = GitRemote.start();
    url =
        remote.create(
            "shop", Map.of("README.md", "# shop\n", "src/cart.py", "class Cart:\n    pass\n"));
  }

  @AfterAll
  static void stopRemote() {
    if (remote != null) {
      remote.close();
    }
  }

  @Test
  void firstPhaseCreatesTheCycleBranchAndEachCommitIsPushedLeasedOnTheLast() throws Exception {
    CycleState state = cycle("c1", null);
    String base = remote.git("shop", "rev-parse", "main");
    try (PhaseWorkspace ws = replica("a").open(state)) {
      assertEquals(base, ws.createdHead().orElseThrow());
      assertEquals(base, remote.git("shop", "rev-parse", "agentos/c1"));
      assertTrue(Files.exists(ws.directory().resolve("src/cart.py")));
      Files.writeString(ws.directory().resolve("src/cart.py"), "class Cart:\n    items = []\n");
      String first = ws.commit("agentos: step 1 Cart items").orElseThrow();
      String second = ws.commit("agentos: step 2 nothing to change").orElseThrow();
      assertEquals(second, remote.git("shop", "rev-parse", "agentos/c1"));
      assertEquals(first, remote.git("shop", "rev-parse", second + "^"));
      assertEquals(base, remote.git("shop", "rev-parse", first + "^"));
      assertEquals(
          "Agentos-Cycle: c1",
          remote.git("shop", "log", "-1", "--format=%(trailers)", first).strip());
      assertEquals(base, remote.git("shop", "rev-parse", "main"), "the base ref is untouched");
    }
  }

  @Test
  void aCommitOfChosenPathsHoldsOnlyThoseThatChangedAndIsPushedLeasedOnTheLast() throws Exception {
    try (PhaseWorkspace ws = replica("a").open(cycle("c9", null))) {
      Path dir = ws.directory();
      Files.writeString(dir.resolve("README.md"), "# shop\n\nReviewed.\n");
      // What a check left: a change to a tracked file, build output, an ignored file.
      Files.writeString(dir.resolve("src/cart.py"), "changed by a check\n");
      Files.writeString(dir.resolve("build.log"), "a check's output\n");
      Files.writeString(dir.resolve(".gitignore"), "*.tmp\n");
      Files.writeString(dir.resolve("cache.tmp"), "ignored\n");
      List<Path> chosen = List.of(Path.of("README.md"), Path.of("cache.tmp"));

      String sha = ws.commit("agentos: review of iteration 1", chosen).orElseThrow();
      assertEquals(sha, remote.git("shop", "rev-parse", "agentos/c9"));
      assertEquals(
          "README.md",
          remote.git("shop", "diff-tree", "--no-commit-id", "--name-only", "-r", sha),
          "only the chosen path that git does not ignore");
      assertEquals("# shop\n\nReviewed.", remote.git("shop", "show", sha + ":README.md"));
      assertEquals(
          "Agentos-Cycle: c9",
          remote.git("shop", "log", "-1", "--format=%(trailers)", sha).strip());

      assertTrue(ws.commit("agentos: nothing new", chosen).isEmpty(), "nothing changed");
      assertEquals(sha, remote.git("shop", "rev-parse", "agentos/c9"));
      String next = ws.commit("agentos: step 1").orElseThrow();
      assertEquals(sha, remote.git("shop", "rev-parse", next + "^"), "leased on the last push");
      assertEquals(
          "changed by a check", remote.git("shop", "show", next + ":src/cart.py"), "left for it");
    }
  }

  @Test
  void anotherReplicaContinuesFromTheRecordedHeadWithoutWhatWasNotCommitted() throws Exception {
    String head;
    try (PhaseWorkspace ws = replica("a").open(cycle("c2", null))) {
      Files.writeString(ws.directory().resolve("done.txt"), "step 1\n");
      head = ws.commit("agentos: step 1").orElseThrow();
      Files.writeString(ws.directory().resolve("half-done.txt"), "interrupted\n");
    }
    try (PhaseWorkspace ws = replica("b").open(cycle("c2", head))) {
      assertTrue(ws.createdHead().isEmpty());
      assertEquals("step 1\n", Files.readString(ws.directory().resolve("done.txt")));
      assertFalse(Files.exists(ws.directory().resolve("half-done.txt")));
      String next = ws.commit("agentos: step 2").orElseThrow();
      assertEquals(head, remote.git("shop", "rev-parse", next + "^"));
    }
    // Back on the first replica: its leftovers are discarded too.
    try (PhaseWorkspace ws =
        replica("a").open(cycle("c2", remote.git("shop", "rev-parse", "agentos/c2")))) {
      assertFalse(Files.exists(ws.directory().resolve("half-done.txt")));
    }
  }

  @Test
  void aPushAfterSomeoneElsePushedIsRefusedAndNothingIsOverwritten() throws Exception {
    PhaseWorkspace ws = replica("a").open(cycle("c3", null));
    String head = ws.commit("agentos: step 1").orElseThrow();
    Path person = remote.cloneOf("shop", "agentos/c3");
    Files.writeString(person.resolve("theirs.txt"), "a person's work\n");
    String theirs = GitRemote.commit(person, "a person's fix");
    GitRemote.run(person, "push", "-q", "origin", "agentos/c3");

    AgentOsException refused =
        assertThrows(AgentOsException.class, () -> ws.commit("agentos: step 2"));
    assertEquals(ErrorCode.WORKSPACE_MOVED, refused.code());
    assertTrue(refused.getMessage().contains("someone pushed"), refused.getMessage());
    assertEquals(theirs, remote.git("shop", "rev-parse", "agentos/c3"));

    AgentOsException atOpen =
        assertThrows(AgentOsException.class, () -> replica("b").open(cycle("c3", head)));
    assertEquals(ErrorCode.WORKSPACE_MOVED, atOpen.code());
    assertTrue(atOpen.getMessage().contains(head), atOpen.getMessage());

    GitRemote.run(person, "push", "-q", "--force", "origin", head + ":refs/heads/agentos/c3");
    try (PhaseWorkspace again = replica("b").open(cycle("c3", head))) {
      assertFalse(Files.exists(again.directory().resolve("theirs.txt")));
      again.commit("agentos: step 2");
    }
  }

  @Test
  void aPushTheStateNeverRecordedIsDroppedAndTheStepRunsAgain() throws Exception {
    String base = remote.git("shop", "rev-parse", "main");
    try (PhaseWorkspace ws = replica("a").open(cycle("c4", null))) {
      Files.writeString(ws.directory().resolve("lost.txt"), "pushed, then the worker died\n");
      ws.commit("agentos: step 1");
    }
    // The state still records the base: the worker died between its push and its checkpoint.
    try (PhaseWorkspace ws = replica("b").open(cycle("c4", base))) {
      assertFalse(Files.exists(ws.directory().resolve("lost.txt")));
      String redone = ws.commit("agentos: step 1").orElseThrow();
      assertEquals(base, remote.git("shop", "rev-parse", redone + "^"));
      assertEquals(redone, remote.git("shop", "rev-parse", "agentos/c4"));
    }
  }

  @Test
  void aRemoteThatNeverAnswersHitsTheDeadline() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      GitCheckouts checkouts =
          new GitCheckouts(
              new GitSettings(
                  scratch.resolve("silent"),
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(30),
                  GitCredentials.none()),
              ProcessLauncher.standard());
      CycleState state =
          cycle("c5", null).toBuilder()
              .workspace(
                  new Workspace(
                      null,
                      new GitRef(
                          "git://127.0.0.1:" + silent.port() + "/shop.git",
                          "main",
                          null,
                          "agentos/c5",
                          null),
                      null))
              .build();
      long started = System.nanoTime();
      AgentOsException e = assertThrows(AgentOsException.class, () -> checkouts.open(state));
      assertEquals(ErrorCode.UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
      assertTrue(silent.connections() > 0);
      assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30);
    }
  }

  @Test
  void theFirstCloneIsPartialWhereTheRemoteAllowsFiltersAndFullWhereItDoesNot() throws Exception {
    String filtered = repoWithHistory("filtered");
    remote.git("filtered", "config", "uploadpack.allowFilter", "true");
    String plain = repoWithHistory("plain");
    GitCheckouts cache = replica("partial");
    for (String repoUrl : new String[] {filtered, plain}) {
      CycleState state = cycle("p-" + repoUrl.hashCode(), null);
      state =
          state.toBuilder()
              .workspace(
                  new Workspace(
                      null,
                      new GitRef(repoUrl, "main", null, state.workspace().git().branch(), null),
                      null))
              .build();
      try (PhaseWorkspace ws = cache.open(state)) {
        assertEquals("v2\n", Files.readString(ws.directory().resolve("data.txt")));
      }
    }
    Path partialRepo = cache.repository(filtered);
    assertEquals("true", GitRemote.run(partialRepo, "config", "--get", "remote.origin.promisor"));
    assertTrue(missingObjects(partialRepo) > 0, "the old blob was never fetched");
    Path fullRepo = cache.repository(plain);
    assertFalse(
        GitRemote.run(fullRepo, "config", "--list").contains("remote.origin.promisor"),
        "a server without filters gives a full clone");
    assertEquals(0, missingObjects(fullRepo));
    // Cached: the next phase fetches (the old blob stays missing) and still checks out.
    try (PhaseWorkspace ws =
        cache.open(
            cycle("p-next", null).toBuilder()
                .workspace(
                    new Workspace(
                        null, new GitRef(filtered, "main", null, "agentos/p-next", null), null))
                .build())) {
      assertTrue(Files.exists(ws.directory().resolve("data.txt")));
    }
    assertTrue(missingObjects(partialRepo) > 0);
  }

  @Test
  void anEndedCyclesWorktreeIsRemovedWhenThePhaseInItLetsGo() throws Exception {
    GitCheckouts cache = replica("discard");
    CycleState state = cycle("e1", null);
    Path worktree;
    try (PhaseWorkspace ws = cache.open(state)) {
      worktree = cache.worktree(url, "e1");
      cache.discard(url, "e1");
      assertTrue(Files.exists(ws.directory().resolve("README.md")), "kept while in use");
      assertTrue(registered(cache, worktree), "registered while in use");
    }
    assertFalse(Files.exists(worktree));
    assertFalse(registered(cache, worktree), "the worktree's registration is pruned too");
  }

  /**
   * Whether the cache's repository lists {@code worktree}, matched on its whole path: the bare
   * repository's own line names a hash, which may hold any short string.
   */
  private static boolean registered(GitCheckouts cache, Path worktree) {
    return GitRemote.run(cache.repository(url), "worktree", "list", "--porcelain")
        .lines()
        .anyMatch(line -> line.equals("worktree " + worktree));
  }

  @Test
  void theSweepRemovesEndedOldAndOverSizeEntriesButNeverOneInUse() throws Exception {
    GitCheckouts cache = replica("sweep");
    for (String id : new String[] {"s-ended", "s-old", "s-running"}) {
      cache.open(cycle(id, null)).close();
    }
    Files.setLastModifiedTime(
        cache.worktree(url, "s-old"),
        java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(8))));
    PhaseWorkspace busy = cache.open(cycle("s-busy", null));
    GitCacheSweep.Limits limits =
        new GitCacheSweep.Limits(Duration.ofDays(7), Long.MAX_VALUE, Duration.ofMinutes(10), 100);
    GitCacheSweep sweep =
        new GitCacheSweep(
            cache, id -> !id.equals("s-running"), limits, java.time.Clock.systemUTC());
    GitCacheSweep.Report report = sweep.sweep();
    assertEquals(2, report.worktrees(), report.toString());
    assertFalse(Files.exists(cache.worktree(url, "s-ended")));
    assertFalse(Files.exists(cache.worktree(url, "s-old")));
    assertTrue(Files.exists(cache.worktree(url, "s-running")));
    assertTrue(Files.exists(cache.worktree(url, "s-busy")), "in use, though its cycle ended");

    GitCacheSweep tiny =
        new GitCacheSweep(
            cache,
            id -> false,
            new GitCacheSweep.Limits(Duration.ofDays(7), 1, Duration.ofMinutes(10), 100),
            java.time.Clock.systemUTC());
    GitCacheSweep.Report squeezed = tiny.sweep();
    assertEquals(1, squeezed.worktrees(), squeezed.toString());
    assertEquals(0, squeezed.repositories(), "the repository holds a worktree in use");
    assertFalse(Files.exists(cache.worktree(url, "s-running")));
    busy.close();
    GitCacheSweep.Report emptied = tiny.sweep();
    assertEquals(1, emptied.repositories(), emptied.toString());
    assertFalse(Files.exists(cache.repository(url)));
    assertTrue(emptied.bytes() < 4096, emptied.toString());
    try (PhaseWorkspace again = cache.open(cycle("s-again", null))) {
      assertTrue(Files.exists(again.directory().resolve("README.md")), "cloned again");
    }
  }

  /** A repository whose main has two commits: the first version of data.txt is history only. */
  private static String repoWithHistory(String name) throws Exception {
    String repoUrl = remote.create(name, Map.of("data.txt", "v1\n"));
    Path person = remote.cloneOf(name, "main");
    Files.writeString(person.resolve("data.txt"), "v2\n");
    GitRemote.commit(person, "second version");
    GitRemote.run(person, "push", "-q", "origin", "main");
    return repoUrl;
  }

  private static long missingObjects(Path repo) {
    return GitRemote.run(repo, "rev-list", "--objects", "--all", "--missing=print")
        .lines()
        .filter(line -> line.startsWith("?"))
        .count();
  }

  private GitCheckouts replica(String name) {
    return new GitCheckouts(
        new GitSettings(
            scratch.resolve(name),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            GitCredentials.none()),
        ProcessLauncher.standard());
  }

  private static CycleState cycle(String id, String head) {
    Instant now = Instant.parse("2026-12-07T08:00:00Z");
    return new CycleState.Builder()
        .cycleId(id)
        .project("shop")
        .goal("g")
        .workspace(new Workspace(null, new GitRef(url, "main", null, "agentos/" + id, head), null))
        .createdAt(now)
        .updatedAt(now)
        .build();
  }
}
