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
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** Worktrees a phase (or a revert) works in now: never removed under it. */
  private final ConcurrentMap<Path, Integer> inUse = new ConcurrentHashMap<>();

  /** Repositories cloned with {@code --filter=blob:none}: checking out may fetch blobs. */
  private final Set<Path> partial = ConcurrentHashMap.newKeySet();

  /**
   * Repositories whose kind (partial or full) this process has read, from its clone or once from
   * their config: a step's start then runs no git process to learn it again.
   */
  private final Set<Path> known = ConcurrentHashMap.newKeySet();

  /** Worktrees of ended cycles to remove once the phase in them lets go. */
  private final Set<Path> discardOnRelease = ConcurrentHashMap.newKeySet();

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
    Path repo = repository(ref.url());
    Path worktree = worktree(ref.url(), cycleId);
    Object lock = lock(ref.url());
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
      inUse.merge(worktree, 1, Integer::sum);
      touch(worktree);
      touch(repo);
    }
    Path directory = directoryIn(worktree, ref);
    LOG.debugf("cycle=%s checked out %s at %s in %s", cycleId, branch, start, worktree);
    return new CycleCheckout(
        git, cycleId, worktree, directory, lock, lease, created, () -> release(worktree));
  }

  /**
   * Step {@code stepId}'s own worktree, for a plan whose steps run in parallel: from the cycle
   * branch's head as the remote has it now, so that every attempt builds on what the other steps
   * merged. The cycle branch must exist: EXECUTE's first write recorded it.
   */
  public StepCheckout openStep(CycleState state, String stepId) {
    return openStep(state, stepId, Optional.empty());
  }

  /**
   * As {@link #openStep(CycleState, String)}; with {@code startAt}, a commit this process holds
   * (the merge it pushed last, which the step waits for), the step starts from it without a fetch:
   * a round trip to the remote less per link of a chain. Whatever other steps merged meanwhile is
   * merged at the step's end, as for any step that ran beside others.
   */
  public StepCheckout openStep(CycleState state, String stepId, Optional<String> startAt) {
    GitRef ref = state.workspace().git();
    String cycleId = state.cycleId();
    String branch = CycleBranch.name(cycleId);
    String stepBranch = StepCheckout.branchName(cycleId, stepId);
    Path repo = repository(ref.url());
    Path worktree = worktree(ref.url(), StepCheckout.folderName(cycleId, stepId));
    Object lock = lock(ref.url());
    String stepLease;
    String cycleHead;
    synchronized (lock) {
      ensureRepository(repo, ref.url());
      Optional<String> held = startAt.filter(sha -> resolve(repo, sha) != null);
      if (held.isEmpty()) {
        fetch(repo, cycleId, false);
      }
      Map<String, String> tracked = resolveRefs(repo, TRACKING + branch, TRACKING + stepBranch);
      String head = held.orElse(tracked.get(TRACKING + branch));
      if (head == null) {
        throw new AgentOsException(
            ErrorCode.WORKSPACE_MOVED,
            "the cycle branch "
                + branch
                + " is gone from the remote; step "
                + stepId
                + " cannot start from it");
      }
      stepLease = tracked.getOrDefault(TRACKING + stepBranch, "");
      cycleHead = head;
      checkout(repo, worktree, head);
      inUse.merge(worktree, 1, Integer::sum);
      touch(worktree);
      touch(repo);
    }
    Path directory = directoryIn(worktree, ref);
    return new StepCheckout(
        git,
        repo,
        lock,
        () -> fetch(repo, cycleId, false),
        cycleId,
        stepId,
        worktree,
        directory,
        cycleHead,
        stepLease,
        () -> release(worktree));
  }

  /** The folder the submit named inside {@code worktree} (or the worktree), released if refused. */
  private Path directoryIn(Path worktree, GitRef ref) {
    try {
      return ref.path() == null || ref.path().isBlank()
          ? worktree
          : WorkspacePaths.inside(worktree, ref.path(), "workspace.git.path");
    } catch (RuntimeException e) {
      release(worktree);
      throw e;
    }
  }

  private void release(Path worktree) {
    String key = worktree.getParent().getFileName().toString();
    synchronized (lockOfKey(key)) {
      Integer left =
          inUse.computeIfPresent(worktree, (path, count) -> count > 1 ? count - 1 : null);
      if (left == null && discardOnRelease.remove(worktree)) {
        removeWorktree(key, worktree);
      }
    }
  }

  /**
   * Removes the cycle's worktree from this cache (its cycle ended): now, or once the phase that
   * works in it lets go. The cycle branch stays on the remote; a resumed cycle checks it out again.
   */
  public void discard(String url, String cycleId) {
    Path worktree = worktree(url, cycleId);
    String key = key(url);
    synchronized (lockOfKey(key)) {
      if (inUse.containsKey(worktree)) {
        discardOnRelease.add(worktree);
      } else if (Files.exists(worktree)) {
        removeWorktree(key, worktree);
      }
    }
  }

  /** Removes {@code worktree} (of the repository {@code key}) unless it is in use. */
  boolean removeIfIdle(String key, Path worktree) {
    synchronized (lockOfKey(key)) {
      if (inUse.containsKey(worktree)) {
        return false;
      }
      return removeWorktree(key, worktree);
    }
  }

  /** Removes repository {@code key} and its worktrees unless one of them is in use. */
  boolean removeRepositoryIfIdle(String key) {
    Path work = settings.cacheDir().resolve("work").resolve(key);
    Path repo = settings.cacheDir().resolve("repos").resolve(key + ".git");
    synchronized (lockOfKey(key)) {
      if (inUse.keySet().stream().anyMatch(path -> path.startsWith(work))) {
        return false;
      }
      try {
        CacheFiles.delete(work);
        CacheFiles.delete(repo);
      } catch (IOException e) {
        LOG.warnf("could not remove the cached repository %s: %s", repo, e.getMessage());
        return false;
      }
      partial.remove(repo);
      known.remove(repo);
      LOG.infof("removed the cached repository %s", repo);
      return true;
    }
  }

  private boolean removeWorktree(String key, Path worktree) {
    try {
      CacheFiles.delete(worktree);
    } catch (IOException e) {
      LOG.warnf("could not remove the worktree %s: %s", worktree, e.getMessage());
      return false;
    }
    Path repo = settings.cacheDir().resolve("repos").resolve(key + ".git");
    if (Files.isRegularFile(repo.resolve("HEAD"))) {
      Finished pruned = git.localRaw(repo, "worktree", "prune");
      if (!pruned.succeeded()) {
        LOG.warnf("git worktree prune in %s: %s", repo, pruned.stdout().lastChars(200).trim());
      }
    }
    LOG.debugf("removed the worktree %s", worktree);
    return true;
  }

  /** The cache's repository of the cycle's remote with the cycle branch just fetched. */
  public Path fetchCycleBranch(CycleState state) {
    Path repo = repository(state.workspace().git().url());
    synchronized (lock(state.workspace().git().url())) {
      ensureRepository(repo, state.workspace().git().url());
      fetch(repo, state.cycleId(), false);
    }
    return repo;
  }

  GitCommand command() {
    return git;
  }

  GitSettings settings() {
    return settings;
  }

  /** The cache's bare repository of the remote {@code url}. */
  Path repository(String url) {
    return settings.cacheDir().resolve("repos").resolve(key(url) + ".git");
  }

  /** The cycle's worktree of the remote {@code url} in this cache. */
  Path worktree(String url, String cycleId) {
    return settings.cacheDir().resolve("work").resolve(key(url)).resolve(cycleId);
  }

  /** Held around everything that changes the repository of {@code url} or its worktrees. */
  Object lock(String url) {
    return lockOfKey(key(url));
  }

  Object lockOfKey(String key) {
    return repoLocks.computeIfAbsent(key, k -> new Object());
  }

  /** Whether a phase (or a revert) works in {@code worktree} now. */
  boolean inUse(Path worktree) {
    return inUse.containsKey(worktree);
  }

  /** The repository of {@code url}, cloned into the cache first if it is not there yet. */
  Path ready(String url) {
    Path repo = repository(url);
    ensureRepository(repo, url);
    return repo;
  }

  /**
   * A first use clones the remote bare and partial ({@code --filter=blob:none}): commits and trees
   * only, the blobs a checkout needs are fetched with it. A server that does not allow filters
   * ({@code uploadpack.allowFilter} off) sends everything with a warning; the repository is then
   * made an ordinary full one, so that nothing later asks that server for missing objects.
   */
  private void ensureRepository(Path repo, String url) {
    if (Files.isRegularFile(repo.resolve("HEAD"))) {
      if (known.add(repo)
          && git.localRaw(repo, "config", "--get", "remote.origin.promisor").succeeded()) {
        partial.add(repo);
      }
      return;
    }
    try {
      Files.createDirectories(repo.getParent());
      CacheFiles.delete(repo); // what a clone that died half-way left
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "cannot create the git cache " + repo + ": " + e.getMessage());
    }
    Finished cloned =
        git.networkRaw(
            repo.getParent(),
            "clone",
            "--bare",
            "-q",
            "--no-tags",
            "--filter=blob:none",
            "--",
            url,
            repo.toString());
    if (!cloned.succeeded()) {
      try {
        CacheFiles.delete(repo);
      } catch (IOException e) {
        LOG.warnf("could not remove the half-cloned %s: %s", repo, e.getMessage());
      }
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          cloned.timedOut()
              ? "git clone of the workspace's remote did not finish within "
                  + settings.networkTimeout()
              : "git clone of the workspace's remote failed: "
                  + cloned.stdout().lastChars(400).trim());
    }
    git.local(repo, "config", "gc.auto", "0");
    if (cloned.stdout().text().contains("filtering not recognized by server")) {
      git.local(repo, "config", "--unset", "remote.origin.promisor");
      git.local(repo, "config", "--unset", "remote.origin.partialclonefilter");
      LOG.infof("the remote of %s allows no filters: cloned in full", repo);
    } else {
      partial.add(repo);
    }
    known.add(repo);
  }

  /** Whether {@code repo} is a partial clone (blobs fetched when needed). */
  boolean isPartial(Path repo) {
    return partial.contains(repo);
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

  /**
   * The commits of those of {@code refs} (full names) that exist, by name, read in one git process:
   * a step's start reads two.
   */
  private Map<String, String> resolveRefs(Path repo, String... refs) {
    String[] args = new String[refs.length + 2];
    args[0] = "for-each-ref";
    args[1] = "--format=%(objectname) %(refname)";
    System.arraycopy(refs, 0, args, 2, refs.length);
    Set<String> wanted = Set.of(refs);
    Map<String, String> found = new HashMap<>();
    for (String line : git.local(repo, args).split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && wanted.contains(line.substring(space + 1))) {
        found.put(line.substring(space + 1), line.substring(0, space));
      }
    }
    return found;
  }

  String resolve(Path repo, String name) {
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

  /**
   * The worktree at {@code sha} with nothing else in it: what a dead attempt left is gone. In a
   * partial clone the checkout fetches the blobs it needs, so it runs under the network deadline.
   */
  private void checkout(Path repo, Path worktree, String sha) {
    boolean fetches = partial.contains(repo);
    if (!Files.exists(worktree.resolve(".git"))) {
      String[] add = {"worktree", "add", "--detach", "--force", "-q", worktree.toString(), sha};
      Finished added = fetches ? git.networkRaw(repo, add) : git.localRaw(repo, add);
      if (!added.succeeded()) {
        // What a removed folder left registered (or half an add that died) is pruned, then the
        // add is made again: one git process on the usual way in, not two.
        git.local(repo, "worktree", "prune");
        if (fetches) {
          git.network(repo, add);
        } else {
          git.local(repo, add);
        }
      }
      return;
    }
    if (fetches) {
      git.network(worktree, "reset", "-q", "--hard", sha);
    } else {
      git.local(worktree, "reset", "-q", "--hard", sha);
    }
    git.local(worktree, "clean", "-q", "-ffdx");
  }

  private static void touch(Path path) {
    try {
      Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
    } catch (IOException e) {
      LOG.debugf("could not mark %s as used: %s", path, e.getMessage());
    }
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
