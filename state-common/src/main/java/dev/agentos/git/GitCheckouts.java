package dev.agentos.git;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.GitRef;
import dev.agentos.worker.PhaseWorkspace;
import dev.agentos.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * This process's git cache: one bare repository per remote (fetched into, never cloned twice) and a
 * worktree per cycle, checked out for each phase at the commit the state records. Nothing here is
 * shared with another process: any replica rebuilds what it needs from the remote and the state
 * alone, and whatever a dead replica left uncommitted is simply not there.
 */
public final class GitCheckouts {
  private static final Logger LOG = Logger.getLogger(GitCheckouts.class);
  private static final String TRACKING = "refs/remotes/origin/";

  private final GitSettings settings;
  private final GitCommand git;
  private final ConcurrentMap<String, Object> repoLocks = new ConcurrentHashMap<>();

  public GitCheckouts(GitSettings settings, ProcessLauncher launcher) {
    this.settings = settings;
    this.git = new GitCommand(launcher, settings);
  }

  /**
   * The cycle's branch checked out at the commit its state records; on the cycle's first phase, the
   * branch created on the remote from the base ref.
   *
   * @throws AgentOsException WORKSPACE_MOVED when the remote branch is not where the cycle left it
   *     (and the difference is not an unrecorded push of this cycle's own); UNAVAILABLE when the
   *     remote did not answer in time; INVALID_REQUEST when the base ref does not exist
   */
  public PhaseWorkspace open(CycleState state) {
    GitRef ref = state.workspace().git();
    String cycleId = state.cycleId();
    String branch = CycleBranch.name(cycleId);
    String key = key(ref.url());
    Path repo = settings.cacheDir().resolve("repos").resolve(key + ".git");
    Path worktree = settings.cacheDir().resolve("work").resolve(key).resolve(cycleId);
    Object lock = repoLocks.computeIfAbsent(key, k -> new Object());
    String start;
    String lease;
    String created = null;
    synchronized (lock) {
      ensureRepository(repo, ref.url());
      fetch(repo, cycleId, ref.head() == null);
      String remote = resolve(repo, TRACKING + branch);
      if (ref.head() == null) {
        String base = base(repo, ref);
        if (remote == null) {
          createBranch(repo, branch, base);
          lease = base;
        } else if (remote.equals(base) || onlyOwnCommits(repo, base, remote, cycleId)) {
          lease = remote; // created by an earlier attempt of this phase that died before its write
        } else {
          throw moved(branch, remote, base);
        }
        start = base;
        created = base;
      } else {
        start = ref.head();
        if (remote == null) {
          throw new AgentOsException(
              ErrorCode.WORKSPACE_MOVED,
              "the cycle branch "
                  + branch
                  + " is gone from the remote; push "
                  + start
                  + " to it again (git push origin "
                  + start
                  + ":refs/heads/"
                  + branch
                  + ") and resume the cycle, or cancel it");
        }
        if (!remote.equals(start) && !onlyOwnCommits(repo, start, remote, cycleId)) {
          throw moved(branch, remote, start);
        }
        lease = remote;
      }
      checkout(repo, worktree, start);
    }
    Path directory =
        ref.path() == null || ref.path().isBlank()
            ? worktree
            : WorkspacePaths.inside(worktree, ref.path(), "workspace.git.path");
    LOG.debugf("cycle=%s checked out %s at %s in %s", cycleId, branch, start, worktree);
    return new CycleCheckout(git, cycleId, worktree, directory, lock, lease, created);
  }

  /** The cache's repository of the cycle's remote with the cycle branch just fetched. */
  public Path fetchCycleBranch(CycleState state) {
    String key = key(state.workspace().git().url());
    Path repo = settings.cacheDir().resolve("repos").resolve(key + ".git");
    synchronized (repoLocks.computeIfAbsent(key, k -> new Object())) {
      ensureRepository(repo, state.workspace().git().url());
      fetch(repo, state.cycleId(), false);
    }
    return repo;
  }

  GitCommand command() {
    return git;
  }

  private void ensureRepository(Path repo, String url) {
    if (Files.isRegularFile(repo.resolve("HEAD"))) {
      return;
    }
    try {
      Files.createDirectories(repo);
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "cannot create the git cache " + repo + ": " + e.getMessage());
    }
    git.local(repo, "init", "--bare", "-q");
    git.local(repo, "config", "remote.origin.url", url);
    git.local(repo, "config", "gc.auto", "0");
  }

  /**
   * Fetches the cycle's branch; on its first phase also every branch and the remote's HEAD, to find
   * the base ref. Later phases fetch only the cycle's branch: its cost does not grow with the
   * remote's other branches.
   */
  private void fetch(Path repo, String cycleId, boolean withBase) {
    String cycleRefs =
        "+refs/heads/" + CycleBranch.name(cycleId) + ":" + TRACKING + CycleBranch.name(cycleId);
    if (withBase) {
      git.network(
          repo, "fetch", "-q", "--prune", "--no-tags", "origin", "+refs/heads/*:" + TRACKING + "*");
      Finished head =
          git.networkRaw(repo, "fetch", "-q", "--no-tags", "origin", "+HEAD:" + TRACKING + "HEAD");
      if (!head.succeeded() && head.timedOut()) {
        throw new AgentOsException(
            ErrorCode.UNAVAILABLE, "git fetch of the remote's HEAD did not finish in time");
      }
      return;
    }
    // A glob that matches only the cycle's branch: absent is not an error, and --prune drops a
    // tracking ref whose branch was deleted.
    git.network(
        repo,
        "fetch",
        "-q",
        "--prune",
        "--no-tags",
        "origin",
        cycleRefs.replace(CycleBranch.name(cycleId), CycleBranch.name(cycleId) + "*"));
  }

  private String base(Path repo, GitRef ref) {
    String wanted = ref.ref() == null || ref.ref().isBlank() ? "HEAD" : ref.ref();
    for (String candidate : new String[] {TRACKING + wanted, wanted}) {
      String sha = resolve(repo, candidate);
      if (sha != null) {
        return sha;
      }
    }
    throw AgentOsException.invalid(
        "workspace.git.ref '" + wanted + "' is neither a branch nor a commit of " + ref.url());
  }

  private String resolve(Path repo, String name) {
    if (name.startsWith("-")) {
      return null;
    }
    Finished found = git.localRaw(repo, "rev-parse", "--verify", "-q", name + "^{commit}");
    String sha = found.stdout().text().trim();
    return found.succeeded() && sha.matches("[0-9a-f]{40,64}") ? sha : null;
  }

  private void createBranch(Path repo, String branch, String base) {
    Finished pushed =
        git.networkRaw(
            repo,
            "push",
            "--porcelain",
            "--force-with-lease=refs/heads/" + branch + ":",
            "origin",
            base + ":refs/heads/" + branch);
    if (!pushed.succeeded()) {
      if (!pushed.timedOut() && pushed.stdout().text().contains("[rejected]")) {
        throw new AgentOsException(
            ErrorCode.WORKSPACE_MOVED,
            "the cycle branch " + branch + " appeared on the remote while it was being created");
      }
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "could not create the cycle branch "
              + branch
              + (pushed.timedOut()
                  ? ": the push did not finish in time"
                  : ": " + pushed.stdout().lastChars(300).trim()));
    }
  }

  /**
   * Whether every commit from {@code from} to {@code to} is this cycle's own: pushed by a worker
   * that died (or timed out) before its checkpoint recorded it. Such a step runs again, so they are
   * dropped; anybody else's commit is never.
   */
  private boolean onlyOwnCommits(Path repo, String from, String to, String cycleId) {
    if (!git.localRaw(repo, "merge-base", "--is-ancestor", from, to).succeeded()) {
      return false;
    }
    Finished trailers =
        git.localRaw(
            repo,
            "log",
            "--format=%(trailers:key=" + CycleBranch.TRAILER + ",valueonly)%x00",
            from + ".." + to);
    return trailers.succeeded()
        && ownCount(trailers.stdout().text(), cycleId) == countCommits(repo, from, to);
  }

  private int countCommits(Path repo, String from, String to) {
    return Integer.parseInt(git.local(repo, "rev-list", "--count", from + ".." + to));
  }

  private static int ownCount(String trailers, String cycleId) {
    int own = 0;
    for (String value : trailers.split("\0")) {
      if (value.strip().equals(cycleId)) {
        own++;
      }
    }
    return own;
  }

  /** The worktree at {@code sha} with nothing else in it: what a dead attempt left is gone. */
  private void checkout(Path repo, Path worktree, String sha) {
    if (!Files.exists(worktree.resolve(".git"))) {
      git.local(repo, "worktree", "prune");
      git.local(repo, "worktree", "add", "--detach", "--force", "-q", worktree.toString(), sha);
      return;
    }
    git.local(worktree, "reset", "-q", "--hard", sha);
    git.local(worktree, "clean", "-q", "-ffdx");
  }

  private static AgentOsException moved(String branch, String remote, String recorded) {
    return new AgentOsException(
        ErrorCode.WORKSPACE_MOVED,
        "the cycle branch "
            + branch
            + " is at "
            + remote
            + ", not at "
            + recorded
            + " where the cycle left it: someone pushed to it. Move it back (git push --force"
            + " origin "
            + recorded
            + ":refs/heads/"
            + branch
            + ") and resume the cycle, or cancel it");
  }

  /** A short, stable name for a remote's cache folder. */
  static String key(String url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
