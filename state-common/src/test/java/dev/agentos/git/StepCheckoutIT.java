package dev.agentos.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.GitRef;
import dev.agentos.state.Workspace;
import dev.agentos.testing.GitRemote;
import dev.agentos.worker.PhaseWorkspace;
import dev.agentos.worker.StepMerge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel steps' own branches against a real remote ({@code git daemon}): each step starts from
 * the cycle branch's head, and is merged back into it with its box ticked at the merge.
 */
class StepCheckoutIT {
  private static final String TASKS = "- [ ] 1. Cart\n- [ ] 2. Orders\n";

  private static GitRemote remote;
  private static String url;

  @TempDir Path scratch;

  @BeforeAll
  static void startRemote() throws Exception {
    remote = GitRemote.start();
    url =
        remote.create("shop", Map.of("tasks.md", TASKS, "src/cart.py", "class Cart:\n    pass\n"));
  }

  @AfterAll
  static void stopRemote() {
    if (remote != null) {
      remote.close();
    }
  }

  @Test
  void independentStepsBothMergeWithTheirBoxesTickedAtTheMerge() throws Exception {
    CycleState state = cycleWithBranch("p1");
    GitCheckouts a = replica("a");
    GitCheckouts b = replica("b");
    try (StepCheckout one = a.openStep(state, "1");
        StepCheckout two = b.openStep(state, "2")) {
      write(one.directory(), "cart.txt", "cart\n");
      one.commit("agentos: step 1 Cart");
      write(two.directory(), "orders.txt", "orders\n");
      two.commit("agentos: step 2 Orders");

      StepMerge first = one.mergeIntoCycle("agentos: merge step 1 Cart", tick("1"));
      StepMerge second = two.mergeIntoCycle("agentos: merge step 2 Orders", tick("2"));

      String head = assertInstanceOf(StepMerge.Merged.class, second).head();
      assertEquals(head, remote.git("shop", "rev-parse", "agentos/p1"));
      assertEquals(
          assertInstanceOf(StepMerge.Merged.class, first).head(),
          remote.git("shop", "rev-parse", head + "^1"),
          "the second merge is built on the first");
      assertEquals(
          "- [x] 1. Cart\n- [x] 2. Orders\n",
          remote.git("shop", "show", head + ":tasks.md") + "\n");
      assertEquals("cart", remote.git("shop", "show", head + ":cart.txt"));
      assertEquals("orders", remote.git("shop", "show", head + ":orders.txt"));
      // Merging again (a replica that died after the push) adds nothing.
      assertEquals(
          new StepMerge.Merged(head),
          two.mergeIntoCycle("agentos: merge step 2 Orders", tick("2")));
      assertEquals(head, remote.git("shop", "rev-parse", "agentos/p1"));
    }
  }

  @Test
  void stepEditingTheSameLinesConflictsAndItsRestartBuildsOnTheNewHead() throws Exception {
    CycleState state = cycleWithBranch("p2");
    GitCheckouts a = replica("a");
    try (StepCheckout one = a.openStep(state, "1");
        StepCheckout two = a.openStep(state, "2")) {
      write(one.directory(), "src/cart.py", "class Cart:\n    items = []\n");
      one.commit("agentos: step 1");
      write(two.directory(), "src/cart.py", "class Cart:\n    total = 0\n");
      two.commit("agentos: step 2");
      assertInstanceOf(StepMerge.Merged.class, one.mergeIntoCycle("merge 1", tick("1")));

      StepMerge.Conflict conflict =
          assertInstanceOf(StepMerge.Conflict.class, two.mergeIntoCycle("merge 2", tick("2")));

      assertEquals(List.of("src/cart.py"), conflict.files());
      assertTrue(conflict.detail().contains("total = 0"), conflict.detail());
      assertTrue(conflict.detail().contains("items = []"), conflict.detail());
    }
    try (StepCheckout again = replica("b").openStep(state, "2")) {
      String onHead = Files.readString(again.directory().resolve("src/cart.py"));
      assertEquals("class Cart:\n    items = []\n", onHead, "the re-run starts on the new head");
      write(again.directory(), "src/cart.py", "class Cart:\n    items = []\n    total = 0\n");
      again.commit("agentos: step 2 again");
      String head =
          assertInstanceOf(StepMerge.Merged.class, again.mergeIntoCycle("merge 2", tick("2")))
              .head();
      assertEquals(
          "class Cart:\n    items = []\n    total = 0",
          remote.git("shop", "show", head + ":src/cart.py"));
    }
  }

  @Test
  void aStepAlongAChainFastForwardsTheCycleBranchInOnePushWithItsBoxTicked() throws Exception {
    CycleState state = cycleWithBranch("p4");
    String before = remote.git("shop", "rev-parse", "agentos/p4");
    try (StepCheckout one = replica("a").openStep(state, "1")) {
      write(one.directory(), "cart.txt", "cart\n");
      write(one.directory(), " spaced name .txt", "a name git prints whole\n");
      String committed = one.commit("agentos: step 1 Cart").orElseThrow();
      assertEquals(
          List.of(" spaced name .txt", "cart.txt"),
          one.changedFiles(),
          "what the step changed, from its commit, each name whole");
      assertEquals(before, remote.git("shop", "rev-parse", "agentos/p4"), "nothing pushed yet");

      String head =
          assertInstanceOf(StepMerge.Merged.class, one.mergeIntoCycle("merge 1", tick("1"))).head();

      assertEquals(head, remote.git("shop", "rev-parse", "agentos/p4"));
      assertEquals(before, remote.git("shop", "rev-parse", head + "^"), "one commit, no merge");
      assertEquals(
          "- [x] 1. Cart\n- [ ] 2. Orders\n",
          remote.git("shop", "show", head + ":tasks.md") + "\n");
      assertEquals("cart", remote.git("shop", "show", head + ":cart.txt"));
      assertFalse(committed.equals(head), "the tick is in the pushed commit");
      assertEquals(new StepMerge.Merged(head), one.mergeIntoCycle("merge 1", tick("1")));
    }
  }

  @Test
  void aChainsNextLinkStartsFromTheMergeItsReplicaPushedWithoutAFetchAndMergesWhatLandedSince()
      throws Exception {
    CycleState state = cycleWithBranch("p5");
    GitCheckouts a = replica("a");
    String pushed;
    try (StepCheckout one = a.openStep(state, "1")) {
      write(one.directory(), "cart.txt", "cart\n");
      one.commit("agentos: step 1 Cart");
      pushed =
          assertInstanceOf(StepMerge.Merged.class, one.mergeIntoCycle("merge 1", tick("1"))).head();
    }
    try (StepCheckout other = replica("b").openStep(state, "2")) {
      write(other.directory(), "orders.txt", "orders\n");
      other.commit("agentos: step 2 Orders");
      assertInstanceOf(StepMerge.Merged.class, other.mergeIntoCycle("merge 2", tick("2")));
    }
    String remoteHead = remote.git("shop", "rev-parse", "agentos/p5");

    try (StepCheckout next = a.openStep(state, "3", Optional.of(pushed))) {
      assertEquals(pushed, next.startHead(), "started from the merge it pushed, not fetched");
      assertTrue(Files.exists(next.directory().resolve("cart.txt")));
      assertFalse(Files.exists(next.directory().resolve("orders.txt")), "step 2 not fetched");
      write(next.directory(), "cart.txt", "cart with totals\n");
      next.commit("agentos: step 3 Totals");
      String head =
          assertInstanceOf(StepMerge.Merged.class, next.mergeIntoCycle("merge 3", dir -> {}, true))
              .head();
      assertEquals(remoteHead, remote.git("shop", "rev-parse", head + "^1"), "merged on top");
      assertEquals("cart with totals", remote.git("shop", "show", head + ":cart.txt"));
      assertEquals("orders", remote.git("shop", "show", head + ":orders.txt"));
    }
    try (StepCheckout unknown = replica("c").openStep(state, "4", Optional.of("0".repeat(40)))) {
      assertEquals(
          remote.git("shop", "rev-parse", "agentos/p5"),
          unknown.startHead(),
          "a commit this replica does not hold: it starts from the remote's head");
    }
  }

  @Test
  void aFailedStepKeepsItsWorkOnItsOwnBranchAndTheNextAttemptStartsFromTheCycleHead()
      throws Exception {
    CycleState state = cycleWithBranch("p3");
    try (StepCheckout failed = replica("a").openStep(state, "1")) {
      write(failed.directory(), "kept.txt", "kept\n");
      failed.commit("agentos: step 1 failed");
      failed.keepOnStepBranch();
      write(failed.directory(), "lost.txt", "not committed\n");
    }
    assertEquals("kept", remote.git("shop", "show", "agentos/p3--step-1:kept.txt"));
    try (StepCheckout again = replica("b").openStep(state, "1")) {
      assertFalse(Files.exists(again.directory().resolve("kept.txt")));
      assertFalse(Files.exists(again.directory().resolve("lost.txt")));
      assertEquals("agentos/p3--step-1", StepCheckout.branchName("p3", "1"));
    }
  }

  private static Consumer<Path> tick(String task) {
    return dir -> {
      try {
        Path tasks = dir.resolve("tasks.md");
        Files.writeString(
            tasks, Files.readString(tasks).replace("- [ ] " + task + ".", "- [x] " + task + "."));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static void write(Path dir, String file, String text) throws IOException {
    Path path = dir.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  /** A cycle whose branch was created by its first phase, as EXECUTE finds it. */
  private CycleState cycleWithBranch(String id) {
    Instant now = Instant.parse("2026-12-07T08:00:00Z");
    CycleState fresh =
        new CycleState.Builder()
            .cycleId(id)
            .project("shop")
            .goal("g")
            .workspace(
                new Workspace(null, new GitRef(url, "main", null, "agentos/" + id, null), null))
            .createdAt(now)
            .updatedAt(now)
            .build();
    String head;
    try (PhaseWorkspace ws = replica("planner").open(fresh)) {
      head = ws.createdHead().orElseThrow();
    }
    return fresh.toBuilder().workspace(fresh.workspace().withGitHead(head)).build();
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
}
