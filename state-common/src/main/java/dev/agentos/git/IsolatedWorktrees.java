package dev.agentos.git;

import dev.agentos.process.ProcessLauncher;
import dev.agentos.worker.PhaseWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code --isolate} for a local repository: the cycle works in a {@code git worktree} of its own on
 * branch {@code agentos/<cycle_id>}, kept in the repository's {@code .git/agentos-worktrees/}
 * (where every service that sees the repository sees it too, and {@code git status} of the main
 * tree does not), so several cycles can work on one repository at once. Each step is a commit on
 * that branch, as in a git workspace; nothing is pushed.
 */
public final class IsolatedWorktrees {
  static final String FOLDER = "agentos-worktrees";

  private final GitCommand git;

  public IsolatedWorktrees(GitSettings settings, ProcessLauncher launcher) {
    this.git = new GitCommand(launcher, settings);
  }

  /** The cycle's worktree of {@code repository}, made on its first phase. */
  public PhaseWorkspace open(Path repository, String cycleId) {
    Path worktree = repository.resolve(".git").resolve(FOLDER).resolve(cycleId);
    if (!Files.exists(worktree.resolve(".git"))) {
      synchronized (IsolatedWorktrees.class) { // worktree add writes the repository's own files
        git.local(repository, "worktree", "prune");
        String branch = CycleBranch.name(cycleId);
        boolean exists =
            git.localRaw(repository, "rev-parse", "--verify", "-q", "refs/heads/" + branch)
                .succeeded();
        if (exists) {
          git.local(repository, "worktree", "add", "-q", "--force", worktree.toString(), branch);
        } else {
          git.local(repository, "worktree", "add", "-q", "-b", branch, worktree.toString(), "HEAD");
        }
      }
    }
    return new PhaseWorkspace() {
      @Override
      public Path directory() {
        return worktree;
      }

      @Override
      public Optional<String> commit(String message) {
        return Optional.of(git.commitAll(worktree, CycleBranch.message(message, cycleId)));
      }

      @Override
      public Optional<String> commit(String message, List<Path> paths) {
        return git.commitOnly(worktree, CycleBranch.message(message, cycleId), paths);
      }
    };
  }
}
