package dev.agentos.git;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs git for git workspaces: through the one {@link ProcessLauncher} (minimal environment, hooks
 * and prompts off, bounded output, process-group kill), with the service's credentials in the
 * environment and a deadline on every run — the network one for anything that talks to a remote.
 * Auto-gc is off: worktrees of several cycles share one repository, and a gc must not run under
 * them.
 */
final class GitCommand {
  private final ProcessLauncher launcher;
  private final GitSettings settings;
  private final Map<String, String> environment;

  GitCommand(ProcessLauncher launcher, GitSettings settings) {
    this.launcher = launcher;
    this.settings = settings;
    this.environment = settings.credentials().environment(settings.networkTimeout());
  }

  /** A command on this machine; INTERNAL when it fails. */
  String local(Path dir, String... args) {
    return require(run(dir, settings.localTimeout(), args), args, settings.localTimeout(), false);
  }

  /**
   * A local command whose output is names separated by NUL ({@code -z}): the names whole, not
   * trimmed (a file name may start or end with a space); INTERNAL when it fails.
   */
  List<String> localNames(Path dir, String... args) {
    Finished names = run(dir, settings.localTimeout(), args);
    require(names, args, settings.localTimeout(), false);
    return Arrays.stream(names.stdout().text().split("\0")).filter(n -> !n.isEmpty()).toList();
  }

  /** A command that talks to the remote; UNAVAILABLE (retried later) when it fails. */
  String network(Path dir, String... args) {
    return require(
        run(dir, settings.networkTimeout(), args), args, settings.networkTimeout(), true);
  }

  /**
   * Commits everything in {@code worktree} (an empty commit when nothing changed: one commit per
   * step) as Agent OS, hooks off; returns the commit.
   */
  String commitAll(Path worktree, String message) {
    local(worktree, "add", "-A");
    local(worktree, asAgentOs("commit", "--allow-empty", "--no-verify", "-q", "-m", message));
    return local(worktree, "rev-parse", "HEAD");
  }

  /**
   * Commits {@code paths} (relative to {@code dir}, inside it) as they are now, and nothing else
   * changed or staged in the worktree, as Agent OS, hooks off; returns the commit, or empty when
   * none of them changed. A path git ignores and does not track is left out, as {@link #commitAll}
   * leaves it.
   */
  Optional<String> commitOnly(Path dir, String message, List<Path> paths) {
    List<String> kept = new ArrayList<>();
    for (Path path : paths) {
      if (path.isAbsolute() || path.normalize().startsWith("..")) {
        throw new AgentOsException(
            ErrorCode.INTERNAL, "cannot commit " + path + ": not a path inside " + dir);
      }
      if (!localRaw(dir, "check-ignore", "-q", "--", path.toString()).succeeded()) {
        kept.add(path.toString());
      }
    }
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    local(dir, withPaths(List.of("add", "--"), kept));
    if (localRaw(dir, withPaths(List.of("diff", "--cached", "--quiet", "HEAD", "--"), kept))
        .succeeded()) {
      return Optional.empty();
    }
    // With paths, git commits only them (--only): whatever else the index holds stays out.
    local(
        dir,
        asAgentOs(withPaths(List.of("commit", "--no-verify", "-q", "-m", message, "--"), kept)));
    return Optional.of(local(dir, "rev-parse", "HEAD"));
  }

  private static String[] withPaths(List<String> args, List<String> paths) {
    List<String> all = new ArrayList<>(args);
    all.addAll(paths);
    return all.toArray(String[]::new);
  }

  /** {@code args} of a git command that makes a commit, made as Agent OS. */
  static String[] asAgentOs(String... args) {
    List<String> all =
        new ArrayList<>(List.of("-c", "user.name=Agent OS", "-c", "user.email=agentos@localhost"));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /**
   * Pushes {@code sha} to {@code branch} if the remote has it at {@code lease} ("" for absent),
   * under {@code repoLock} (a push updates the shared repository's tracking ref); {@link #refused}
   * tells a moved branch from a failure.
   */
  Finished pushLeased(Path worktree, Object repoLock, String branch, String lease, String sha) {
    synchronized (repoLock) {
      return networkRaw(
          worktree,
          "push",
          "--porcelain",
          "--no-verify",
          "--force-with-lease=refs/heads/" + branch + ":" + lease,
          "origin",
          sha + ":refs/heads/" + branch);
    }
  }

  /**
   * Whether a push was refused because the branch was not at its lease. A push that passed the
   * client's lease check but lost to another push on the remote is refused there with "cannot lock
   * ref ... expected" (receive-pack's own compare-and-swap of the ref): a lost race too.
   */
  static boolean refused(Finished pushed) {
    String out = pushed.stdout().lastChars(600);
    return !pushed.timedOut()
        && (out.contains("stale info")
            || out.contains("[rejected]")
            || out.contains("cannot lock ref"));
  }

  /** A network command whose failure the caller reads itself. */
  Finished networkRaw(Path dir, String... args) {
    return run(dir, settings.networkTimeout(), args);
  }

  /** A local command whose failure means an answer (a ref that does not exist, say). */
  Finished localRaw(Path dir, String... args) {
    return run(dir, settings.localTimeout(), args);
  }

  private Finished run(Path dir, Duration timeout, String... args) {
    List<String> all = new ArrayList<>(List.of("-c", "gc.auto=0", "-c", "maintenance.auto=false"));
    all.addAll(List.of(args));
    return launcher.git(dir, timeout, all, environment);
  }

  private static String require(Finished git, String[] args, Duration timeout, boolean network) {
    if (git.succeeded()) {
      return git.stdout().text().trim();
    }
    String what = "git " + args[0];
    String why =
        git.timedOut()
            ? what + " did not finish within " + timeout
            : what + " failed (exit " + git.exitCode() + "): " + git.stdout().lastChars(400).trim();
    throw new AgentOsException(network ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL, why);
  }
}
