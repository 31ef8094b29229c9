package dev.agentos.git;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.worker.StepMerge;
import dev.agentos.worker.StepWorkspace;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One parallel step's own worktree, started from the cycle branch's head ({@code startHead}). The
 * step's work is committed here and reaches the remote in one push, at {@link #mergeIntoCycle}: as
 * a fast-forward of the cycle branch when no other step merged since the step started (its box
 * ticked in the same commit), else as one merge commit built on the new head, pushed leased on it;
 * two steps that finish at once both merge, one after the other, and nothing is overwritten. A step
 * that fails keeps its work on its own branch ({@link #keepOnStepBranch}) for people to look at; it
 * is never merged.
 */
public final class StepCheckout implements StepWorkspace {
  /** How often a merge is built again because another step's merge landed first. */
  static final int MERGE_ROUNDS = 8;

  private static final String TRACKING = "refs/remotes/origin/";
  private static final String STEP_MARK = "--step-";
  private static final int DETAIL_CHARS = 4000;

  private final GitCommand git;
  private final Path repo;
  private final Object repoLock;
  private final Runnable fetchCycleRefs;
  private final String cycleId;
  private final String cycleBranch;
  private final String stepBranch;
  private final Path worktree;
  private final Path directory;
  private final Runnable released;
  private String stepLease; // the step branch's commit on the remote; "" when absent
  private final String startHead;
  private String knownHead; // the cycle branch's head as this worktree last knew it
  private boolean closed;

  StepCheckout(
      GitCommand git,
      Path repo,
      Object repoLock,
      Runnable fetchCycleRefs,
      String cycleId,
      String stepId,
      Path worktree,
      Path directory,
      String startHead,
      String stepLease,
      Runnable released) {
    this.git = git;
    this.repo = repo;
    this.repoLock = repoLock;
    this.fetchCycleRefs = fetchCycleRefs;
    this.cycleId = cycleId;
    this.cycleBranch = CycleBranch.name(cycleId);
    this.stepBranch = branchName(cycleId, stepId);
    this.worktree = worktree;
    this.directory = directory;
    this.startHead = startHead;
    this.knownHead = startHead;
    this.stepLease = stepLease;
    this.released = released;
  }

  /**
   * {@code agentos/<cycle_id>--step-<step_id>}: beside the cycle branch, not under it (git cannot
   * hold both {@code a} and {@code a/b}), and matched by the cycle branch's fetch pattern.
   */
  public static String branchName(String cycleId, String stepId) {
    return CycleBranch.name(folderName(cycleId, stepId));
  }

  /** The cycle a worktree folder of a cache belongs to: a step's folder belongs to its cycle's. */
  static String cycleOf(String folder) {
    int step = folder.indexOf(STEP_MARK);
    return step < 0 ? folder : folder.substring(0, step);
  }

  /** The step's worktree folder in a cache: {@code <cycle_id>--step-<step_id>}. */
  static String folderName(String cycleId, String stepId) {
    return cycleId + STEP_MARK + stepId.replaceAll("[^A-Za-z0-9._-]", "-");
  }

  @Override
  public Path directory() {
    return directory;
  }

  /**
   * Commits everything changed as one commit, in this worktree only: it reaches the remote with the
   * step's merge (or, for a step that failed, {@link #keepOnStepBranch}), one push per step.
   */
  @Override
  public synchronized Optional<String> commit(String message) {
    return Optional.of(git.commitAll(worktree, CycleBranch.message(message, cycleId)));
  }

  @Override
  public String startHead() {
    return startHead;
  }

  @Override
  public synchronized List<String> changedFiles() {
    return git.localNames(worktree, "diff", "--name-only", "-z", "--no-renames", startHead, "HEAD");
  }

  @Override
  public synchronized void keepOnStepBranch() {
    String sha = git.local(worktree, "rev-parse", "HEAD");
    push(sha, stepBranch, stepLease);
    stepLease = sha;
  }

  @Override
  public String cycleHead() {
    synchronized (repoLock) {
      fetchCycleRefs.run();
    }
    return git.local(repo, "rev-parse", TRACKING + cycleBranch);
  }

  /**
   * Merges the step's last commit into the cycle branch's current head, runs {@code atMerge} in the
   * merged tree (the step's box ticked there, so adjacent boxes of parallel steps never conflict)
   * and pushes the merge, leased on that head; built again on the new head when another merge
   * landed first. A step whose commit the cycle branch already holds (its replica died after the
   * push) is merged as it is.
   */
  @Override
  public synchronized StepMerge mergeIntoCycle(
      String subject, Consumer<Path> atMerge, boolean headMoved) {
    String step = git.local(worktree, "rev-parse", "HEAD");
    if (step.equals(knownHead)) {
      return new StepMerge.Merged(step); // merged before (a second call after a lost write)
    }
    Optional<String> forwarded = headMoved ? Optional.empty() : fastForward(step, atMerge);
    if (forwarded.isPresent()) {
      return new StepMerge.Merged(forwarded.get());
    }
    for (int round = 1; round <= MERGE_ROUNDS; round++) {
      synchronized (repoLock) {
        fetchCycleRefs.run();
      }
      String head = git.local(repo, "rev-parse", TRACKING + cycleBranch);
      if (git.localRaw(repo, "merge-base", "--is-ancestor", step, head).succeeded()) {
        knownHead = head;
        return new StepMerge.Merged(head);
      }
      git.local(worktree, "reset", "-q", "--hard", head);
      Finished merged =
          git.networkRaw(
              worktree,
              GitCommand.asAgentOs(
                  "merge",
                  "--no-ff",
                  "--no-verify",
                  "-q",
                  "-m",
                  CycleBranch.message(subject, cycleId),
                  step));
      if (!merged.succeeded()) {
        StepMerge.Conflict conflict = conflict();
        git.localRaw(worktree, "merge", "--abort");
        git.local(worktree, "reset", "-q", "--hard", step);
        if (conflict.files().isEmpty()) {
          throw new AgentOsException(
              ErrorCode.UNAVAILABLE,
              "git merge of " + stepBranch + " failed: " + merged.stdout().lastChars(400).trim());
        }
        return conflict;
      }
      Optional<String> merge = tickAndPush(atMerge, head, step);
      if (merge.isPresent()) {
        return new StepMerge.Merged(merge.get());
      }
    }
    throw new AgentOsException(
        ErrorCode.UNAVAILABLE,
        "the merge of "
            + stepBranch
            + " lost the race to other merges "
            + MERGE_ROUNDS
            + " times; it is tried again");
  }

  /**
   * The cheap way in, tried first: when the step was built on the head the cycle branch still has
   * (no other step merged since it started, as along a chain of steps), its commit with the box
   * ticked is pushed as a fast-forward, leased on that head: one round trip, no fetch, no merge
   * commit. Empty when the branch moved: the step's commit is put back as it was, to be merged.
   */
  private Optional<String> fastForward(String step, Consumer<Path> atMerge) {
    if (knownHead == null
        || !git.localRaw(worktree, "merge-base", "--is-ancestor", knownHead, step).succeeded()) {
      return Optional.empty();
    }
    return tickAndPush(atMerge, knownHead, step);
  }

  /**
   * Ticks the step's box in the worktree ({@code atMerge}), folds that into the last commit (the
   * step's, or its merge) and pushes it to the cycle branch leased on {@code lease}: the pushed
   * commit, or empty when the branch moved, the worktree then put back at {@code undoTo}.
   */
  private Optional<String> tickAndPush(Consumer<Path> atMerge, String lease, String undoTo) {
    atMerge.accept(directory);
    git.local(worktree, "add", "-A");
    git.local(
        worktree, GitCommand.asAgentOs("commit", "--amend", "--no-edit", "--no-verify", "-q"));
    String tip = git.local(worktree, "rev-parse", "HEAD");
    if (tryPush(tip, cycleBranch, lease)) {
      knownHead = tip;
      return Optional.of(tip);
    }
    git.local(worktree, "reset", "-q", "--hard", undoTo);
    return Optional.empty();
  }

  private StepMerge.Conflict conflict() {
    String names = git.localRaw(worktree, "diff", "--name-only", "--diff-filter=U").stdout().text();
    List<String> files =
        Arrays.stream(names.split("\n")).map(String::strip).filter(n -> !n.isEmpty()).toList();
    String diff = git.localRaw(worktree, "diff").stdout().text();
    String detail = diff.length() <= DETAIL_CHARS ? diff : diff.substring(0, DETAIL_CHARS) + "\n…";
    return new StepMerge.Conflict(files, detail);
  }

  private void push(String sha, String branch, String lease) {
    if (!tryPush(sha, branch, lease)) {
      throw new AgentOsException(
          ErrorCode.CONFLICT,
          "the push of " + sha + " to " + branch + " was refused: another replica runs the step");
    }
  }

  /** Pushes {@code sha} to {@code branch} if it is at {@code lease}; false when it moved. */
  private boolean tryPush(String sha, String branch, String lease) {
    Finished pushed = git.pushLeased(worktree, repoLock, branch, lease, sha);
    if (pushed.succeeded()) {
      return true;
    }
    if (GitCommand.refused(pushed)) {
      return false;
    }
    throw new AgentOsException(
        ErrorCode.UNAVAILABLE,
        pushed.timedOut()
            ? "git push to " + branch + " did not finish in time"
            : "git push to " + branch + " failed: " + pushed.stdout().lastChars(600).trim());
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      released.run();
    }
  }
}
