package dev.agentos.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.Delivery;
import dev.agentos.state.GitRef;
import dev.agentos.state.Status;
import dev.agentos.state.Workspace;
import dev.agentos.testing.GitRemote;
import dev.agentos.testing.SilentServer;
import dev.agentos.testing.TestNats;
import dev.agentos.worker.PhaseWorkspace;
import io.nats.client.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery of a COMPLETED cycle's branch against a real remote ({@code git daemon}): a fast-forward
 * of the base when it has not moved, the branch left for review (and why) when it has.
 */
class CycleDeliveryIT {
  private static GitRemote remote;
  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;
  private static int repos;

  @TempDir Path scratch;

  @BeforeAll
  static void start() throws Exception {
    remote = GitRemote.start();
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(
        nc, new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1)));
    store = CycleStore.open(nc);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
    if (remote != null) {
      remote.close();
    }
  }

  @Test
  void fastForwardsTheBaseBranchToTheRecordedHeadWhenTheBaseHasNotMoved() throws Exception {
    String repo = newRepo();
    CycleState done = completed(repo, "d1", Delivery.FAST_FORWARD);
    String head = done.workspace().git().head();

    delivery(Duration.ofSeconds(30)).deliver(done);

    assertEquals(head, remote.git(repo, "rev-parse", "main"), "main is the cycle's head");
    assertEquals(head, remote.git(repo, "rev-parse", "agentos/d1"), "the branch stays");
    JsonNode recorded = store.require("d1").extra().get("delivery");
    assertEquals("DELIVERED", recorded.path("status").asText(), recorded.toString());
    assertEquals(head, recorded.path("commit").asText());
    assertEquals(done.updatedAt(), store.require("d1").updatedAt(), "the ending stays the same");
    // Once recorded it is not done again, whatever the remote shows now.
    pushToMain(repo, "after the delivery");
    String moved = remote.git(repo, "rev-parse", "main");
    delivery(Duration.ofSeconds(30)).deliver(store.require("d1"));
    assertEquals(moved, remote.git(repo, "rev-parse", "main"));
  }

  @Test
  void twoProcessesDeliveringAtOnceBothFindItDelivered() throws Exception {
    String repo = newRepo();
    CycleState done = completed(repo, "d6", Delivery.FAST_FORWARD);
    // The approve call's process and another's reconciler sweep end the same cycle together: one
    // push wins, the other is refused by the remote, and must not record that as a refusal.
    CycleDelivery first = delivery(Duration.ofSeconds(30));
    CycleDelivery second =
        new CycleDelivery(
            new GitCheckouts(
                GitSettings.defaults(scratch.resolve("other")), ProcessLauncher.standard()),
            store,
            Clock.systemUTC());
    java.util.concurrent.CompletableFuture<Void> a =
        java.util.concurrent.CompletableFuture.runAsync(() -> first.deliver(done));
    java.util.concurrent.CompletableFuture<Void> b =
        java.util.concurrent.CompletableFuture.runAsync(() -> second.deliver(done));
    a.get(60, java.util.concurrent.TimeUnit.SECONDS);
    b.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(done.workspace().git().head(), remote.git(repo, "rev-parse", "main"));
    JsonNode recorded = store.require("d6").extra().get("delivery");
    assertEquals("DELIVERED", recorded.path("status").asText(), recorded.toString());
  }

  @Test
  void aBaseThatMovedLeavesTheBranchForReviewWithTheReasonAndNoMergeOrForcePush() throws Exception {
    String repo = newRepo();
    CycleState done = completed(repo, "d2", Delivery.FAST_FORWARD);
    String theirs = pushToMain(repo, "a person's change to main");

    delivery(Duration.ofSeconds(30)).deliver(done);

    assertEquals(theirs, remote.git(repo, "rev-parse", "main"), "main is untouched");
    assertEquals(done.workspace().git().head(), remote.git(repo, "rev-parse", "agentos/d2"));
    JsonNode recorded = store.require("d2").extra().get("delivery");
    assertEquals("LEFT_FOR_REVIEW", recorded.path("status").asText(), recorded.toString());
    assertTrue(
        recorded.path("reason").asText().contains("main moved to " + theirs), recorded.toString());
    assertEquals("", remote.git(repo, "rev-list", "--merges", "main"), "no merge commit anywhere");
  }

  @Test
  void aBaseBranchTheRemoteProtectsLeavesTheBranchForReviewWithTheRemotesRefusal()
      throws Exception {
    String repo = newRepo();
    String base = remote.git(repo, "rev-parse", "main");
    Path hook =
        Path.of(remote.git(repo, "rev-parse", "--absolute-git-dir"), "hooks", "pre-receive");
    Files.createDirectories(hook.getParent());
    Files.writeString(
        hook,
        "#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then\n"
            + "    echo 'main is protected'; exit 1\n  fi\ndone\n");
    hook.toFile().setExecutable(true);
    CycleState done = completed(repo, "d5", Delivery.FAST_FORWARD);

    delivery(Duration.ofSeconds(30)).deliver(done);

    assertEquals(base, remote.git(repo, "rev-parse", "main"));
    JsonNode recorded = store.require("d5").extra().get("delivery");
    assertEquals("LEFT_FOR_REVIEW", recorded.path("status").asText(), recorded.toString());
    assertTrue(
        recorded.path("reason").asText().contains("the remote refused"), recorded.toString());
    assertFalse(recorded.has("attempts"), "an answer, not an outage: " + recorded);
  }

  @Test
  void aCycleThatAsksForReviewLeavesEverythingAsItIs() throws Exception {
    String repo = newRepo();
    String base = remote.git(repo, "rev-parse", "main");
    CycleState done = completed(repo, "d3", null);
    delivery(Duration.ofSeconds(30)).deliver(done);
    assertEquals(base, remote.git(repo, "rev-parse", "main"));
    assertNull(store.require("d3").extra().get("delivery"));
  }

  @Test
  void aRemoteThatDoesNotAnswerIsTriedAgainAndGivenUpOnAfterTheLastAttempt() throws Exception {
    String repo = newRepo();
    CycleState done = completed(repo, "d4", Delivery.FAST_FORWARD);
    try (SilentServer silent = new SilentServer()) {
      String url = "git://127.0.0.1:" + silent.port() + "/" + repo + ".git";
      GitRef unreachable = done.workspace().git();
      unreachable =
          new GitRef(
              url,
              unreachable.ref(),
              null,
              unreachable.branch(),
              unreachable.head(),
              unreachable.deliver());
      Workspace workspace = new Workspace(null, unreachable, null);
      store.update("d4", s -> s.toBuilder().workspace(workspace).build());
      CycleDelivery delivery = delivery(Duration.ofSeconds(1));
      for (int attempt = 1; attempt < CycleDelivery.MAX_ATTEMPTS; attempt++) {
        long started = System.nanoTime();
        AgentOsException e =
            assertThrows(AgentOsException.class, () -> delivery.deliver(store.require("d4")));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20);
        JsonNode pending = store.require("d4").extra().get("delivery");
        assertEquals("PENDING", pending.path("status").asText());
        assertEquals(attempt, pending.path("attempts").asInt());
      }
      delivery.deliver(store.require("d4"));
      JsonNode recorded = store.require("d4").extra().get("delivery");
      assertEquals("LEFT_FOR_REVIEW", recorded.path("status").asText(), recorded.toString());
      assertTrue(recorded.path("reason").asText().contains("did not answer"), recorded.toString());
    }
  }

  private CycleDelivery delivery(Duration networkTimeout) {
    GitCheckouts checkouts =
        new GitCheckouts(
            new GitSettings(
                scratch.resolve("cache"),
                networkTimeout,
                Duration.ofSeconds(30),
                GitCredentials.none()),
            ProcessLauncher.standard());
    return new CycleDelivery(checkouts, store, Clock.systemUTC());
  }

  /** A cycle that committed two steps to its branch and is COMPLETED. */
  private CycleState completed(String repo, String id, Delivery deliver) throws Exception {
    Instant now = Instant.parse("2026-12-07T08:00:00Z");
    GitRef ref = new GitRef(remote.url(repo), "main", null, "agentos/" + id, null, deliver);
    CycleState state =
        new CycleState.Builder()
            .cycleId(id)
            .project("shop")
            .goal("g")
            .workspace(new Workspace(null, ref, null))
            .createdAt(now)
            .updatedAt(now)
            .build();
    GitCheckouts worker =
        new GitCheckouts(
            GitSettings.defaults(scratch.resolve("worker")), ProcessLauncher.standard());
    String head;
    try (PhaseWorkspace ws = worker.open(state)) {
      Files.writeString(ws.directory().resolve("step-1.txt"), "one\n");
      ws.commit("agentos: step 1");
      Files.writeString(ws.directory().resolve("step-2.txt"), "two\n");
      head = ws.commit("agentos: step 2").orElseThrow();
    }
    CycleState done =
        state.toBuilder()
            .workspace(state.workspace().withGitHead(head))
            .status(Status.COMPLETED)
            .build();
    store.create(done);
    assertFalse(head.equals(remote.git(repo, "rev-parse", "main")));
    return done;
  }

  private static String pushToMain(String repo, String message) throws Exception {
    Path person = remote.cloneOf(repo, "main");
    Files.writeString(person.resolve("person.txt"), message + "\n");
    String sha = GitRemote.commit(person, message);
    GitRemote.run(person, "push", "-q", "origin", "main");
    return sha;
  }

  private static String newRepo() throws Exception {
    String name = "deliver" + (++repos);
    remote.create(name, Map.of("README.md", "# shop\n"));
    return name;
  }
}
