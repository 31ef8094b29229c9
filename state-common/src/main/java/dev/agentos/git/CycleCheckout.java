package dev.agentos.git;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.worker.PhaseWorkspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A cycle's branch checked out in this process's cache for one phase: the worktree, and the commit
 * the remote branch is known to be at — what the next push is leased on. A push that finds the
 * branch elsewhere is refused by the remote and nothing is overwritten.
 */
final class CycleCheckout implements PhaseWorkspace {
  private final GitCommand git;
  private final String cycleId;
  private final String branch;
  private final Path worktree;
  private final Path directory;
  private final Object repoLock;
  private final String createdHead;
  private final Runnable released;
  private boolean closed;
  private String lease; // the remote branch's commit as last seen or pushed; "" when absent

  CycleCheckout(
      GitCommand git,
      String cycleId,
      Path worktree,
      Path directory,
      Object repoLock,
      String lease,
      String createdHead,
      Runnable released) {
    this.git = git;
    this.cycleId = cycleId;
    this.branch = CycleBranch.name(cycleId);
    this.worktree = worktree;
    this.directory = directory;
    this.repoLock = repoLock;
    this.lease = lease;
    this.createdHead = createdHead;
    this.released = released;
  }

  /** The worktree may be cleaned up again. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      released.run();
    }
  }

  /** The worktree's root (the directory is a folder in it when the submit named one). */
  Path worktree() {
    return worktree;
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public Optional<String> createdHead() {
    return Optional.ofNullable(createdHead);
  }

  @Override
  public synchronized Optional<String> commit(String message) {
    return Optional.of(pushed(git.commitAll(worktree, CycleBranch.message(message, cycleId))));
  }

  @Override
  public synchronized Optional<String> commit(String message, List<Path> paths) {
    return git.commitOnly(directory, CycleBranch.message(message, cycleId), paths)
        .map(this::pushed);
  }

  /** {@code sha}, pushed: what the next push is leased on. */
  private String pushed(String sha) {
    push(sha);
    lease = sha;
    return sha;
  }

  /** Pushes {@code sha} to the cycle branch if the branch is still at {@link #lease}. */
  private void push(String sha) {
    Finished pushed = git.pushLeased(worktree, repoLock, branch, lease, sha);
    if (pushed.succeeded()) {
      return;
    }
    String out = pushed.stdout().lastChars(600);
    if (GitCommand.refused(pushed)) {
      throw new AgentOsException(
          ErrorCode.WORKSPACE_MOVED,
          "the push of "
              + sha
              + " to "
              + branch
              + " was refused: the branch is no longer at "
              + (lease.isEmpty() ? "nothing (it was created by someone else)" : lease)
              + ", where this cycle left it; someone pushed to it. Move it back (git push"
              + " --force origin "
              + (lease.isEmpty() ? "--delete " + branch : lease + ":refs/heads/" + branch)
              + ") and resume the cycle, or cancel it");
    }
    throw new AgentOsException(
        ErrorCode.UNAVAILABLE,
        pushed.timedOut()
            ? "git push to " + branch + " did not finish in time"
            : "git push to " + branch + " failed: " + out.trim());
  }
}
