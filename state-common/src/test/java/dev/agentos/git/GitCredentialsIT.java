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
import dev.agentos.worker.PhaseWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's own git credentials against a remote that wants them (smart HTTP with a token), and
 * a submit's sub-folder of the repository as the agents' directory.
 */
class GitCredentialsIT {
  private static final String TOKEN = "s3cr3t-token-0123456789";

  @TempDir Path scratch;

  @Test
  void theConfiguredTokenReachesTheRemoteOnEveryRequestAndNowhereElse() throws Exception {
    Path root = Files.createDirectories(scratch.resolve("remote"));
    String base = bareRepo(root, "shop", Map.of("README.md", "# shop\n"));
    try (TokenGitServer server = new TokenGitServer(root, TOKEN)) {
      GitCheckouts cache = checkouts("with-token", new GitCredentials(TOKEN, null, null));
      CycleState state = cycle("t1", server.url("shop"), null);
      String pushed;
      try (PhaseWorkspace ws = cache.open(state)) {
        assertEquals(base, ws.createdHead().orElseThrow());
        Files.writeString(ws.directory().resolve("cart.txt"), "items\n");
        pushed = ws.commit("agentos: step 1").orElseThrow();
      }
      assertEquals(pushed, GitRemote.run(root.resolve("shop.git"), "rev-parse", "agentos/t1"));
      assertTrue(server.authorized() >= 4, "clone, fetch, push: " + server.authorizations());
      assertEquals(
          server.authorizations().size(),
          server.authorized(),
          "every request carried the token: " + server.authorizations());
      assertEquals(0, filesHolding(scratch.resolve("with-token"), TOKEN), "not in the cache");
    }
  }

  @Test
  void withoutTheTokenTheRemoteRefusesAtOnceAndNothingWaitsForAPrompt() throws Exception {
    Path root = Files.createDirectories(scratch.resolve("remote"));
    bareRepo(root, "shop", Map.of("README.md", "# shop\n"));
    try (TokenGitServer server = new TokenGitServer(root, TOKEN)) {
      GitCheckouts cache = checkouts("no-token", GitCredentials.none());
      long started = System.nanoTime();
      AgentOsException e =
          assertThrows(
              AgentOsException.class, () -> cache.open(cycle("t2", server.url("shop"), null)));
      assertEquals(ErrorCode.UNAVAILABLE, e.code());
      assertFalse(e.getMessage().contains("did not finish"), "refused, not timed out: " + e);
      assertTrue(
          Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0);
      assertTrue(server.authorizations().contains(""), server.authorizations().toString());
    }
  }

  @Test
  void credentialsAreHandedToGitAsItsEnvironmentAndNeverPrinted() {
    GitCredentials all =
        new GitCredentials(TOKEN, Path.of("/etc/agentos/git/key"), Path.of("/etc/known"));
    Map<String, String> env = all.environment(Duration.ofSeconds(7));
    assertEquals("http.extraHeader", env.get("GIT_CONFIG_KEY_0"));
    String ssh = env.get("GIT_SSH_COMMAND");
    assertTrue(ssh.contains("BatchMode=yes") && ssh.contains("ConnectTimeout=7"), ssh);
    assertTrue(ssh.contains("-i '/etc/agentos/git/key'"), ssh);
    assertTrue(ssh.contains("StrictHostKeyChecking=yes -o UserKnownHostsFile='/etc/known'"), ssh);
    assertFalse(all.toString().contains(TOKEN), all.toString());
    assertFalse(
        GitCredentials.none().environment(Duration.ofSeconds(7)).containsKey("GIT_CONFIG_COUNT"));
  }

  @Test
  void theAgentsWorkInTheSubFolderTheSubmitNamedAndNotOutsideTheRepository() throws Exception {
    try (GitRemote remote = GitRemote.start()) {
      String url =
          remote.create(
              "mono",
              Map.of("README.md", "# mono\n", "services/cart/cart.py", "class Cart: pass\n"));
      GitCheckouts cache = checkouts("sub", GitCredentials.none());
      CycleState state = cycle("f1", url, "services/cart");
      try (PhaseWorkspace ws = cache.open(state)) {
        assertTrue(
            ws.directory().endsWith(Path.of("f1", "services", "cart")), ws.directory().toString());
        assertTrue(Files.exists(ws.directory().resolve("cart.py")));
        Files.writeString(ws.directory().resolve("items.py"), "ITEMS = []\n");
        String sha = ws.commit("agentos: step 1").orElseThrow();
        assertEquals(
            "ITEMS = []", remote.git("mono", "show", sha + ":services/cart/items.py").strip());
      }
      AgentOsException outside =
          assertThrows(
              AgentOsException.class, () -> cache.open(cycle("f2", url, "services/../..")));
      assertEquals(ErrorCode.INVALID_REQUEST, outside.code());
      // The refused phase let its worktree go: the cache may remove it.
      assertTrue(cache.removeIfIdle(GitCheckouts.key(url), cache.worktree(url, "f2")));
    }
  }

  /** A bare repository {@code name}.git under {@code root} whose main holds {@code files}. */
  private static String bareRepo(Path root, String name, Map<String, String> files)
      throws IOException {
    Path seed = Files.createTempDirectory("agentos-git-seed-");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(seed.resolve(file.getKey()), file.getValue());
    }
    Path bare = root.resolve(name + ".git");
    GitRemote.run(root, "init", "-q", "--bare", "-b", "main", bare.toString());
    GitRemote.run(seed, "init", "-q", "-b", "main");
    GitRemote.commit(seed, "initial commit");
    GitRemote.run(seed, "push", "-q", bare.toString(), "main");
    return GitRemote.run(bare, "rev-parse", "main");
  }

  private static long filesHolding(Path dir, String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> contains(f, text)).count();
    }
  }

  private static boolean contains(Path file, String text) {
    try {
      return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
          .contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private GitCheckouts checkouts(String name, GitCredentials credentials) {
    return new GitCheckouts(
        new GitSettings(
            scratch.resolve(name), Duration.ofSeconds(30), Duration.ofSeconds(30), credentials),
        ProcessLauncher.standard());
  }

  private static CycleState cycle(String id, String url, String path) {
    Instant now = Instant.parse("2026-12-07T08:00:00Z");
    return new CycleState.Builder()
        .cycleId(id)
        .project("shop")
        .goal("g")
        .workspace(new Workspace(null, new GitRef(url, "main", path, "agentos/" + id, null), null))
        .createdAt(now)
        .updatedAt(now)
        .build();
  }
}
