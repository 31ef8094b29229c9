package dev.agentos.git;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.StepRecord;
import dev.agentos.worker.PhaseWorkspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cycle's changes as git has them, for {@code agentos diff} and {@code agentos revert}: read from
 * this process's own cache after a fetch of the cycle branch (or from the repository of an isolated
 * local cycle), never from the caller's machine.
 */
public final class CycleChanges {
  /** A diff is cut to this many characters: a NATS reply has a size limit. */
  static final int MAX_DIFF_CHARS = 512 * 1024;

  public record Diff(
      String cycleId, String step, String from, String to, List<String> files, String diff) {}

  public record Reverted(String cycleId, String step, String reverted, String commit) {}

  private final GitCheckouts checkouts;
  private final GitCommand git;
  private final Clock clock;

  public CycleChanges(GitCheckouts checkouts, Clock clock) {
    this.checkouts = checkouts;
    this.git = checkouts.command();
    this.clock = clock;
  }

  /** The changes of the whole cycle (from where its branch started), or of step {@code step}. */
  public Diff diff(CycleState state, String step) {
    Path repo = repository(state);
    String to;
    String from;
    if (step != null) {
      to = commitOf(state, step);
      from = to + "^";
    } else {
      to = head(state);
      from = firstCommit(state).map(first -> first + "^").orElse(to);
    }
    List<String> files = new ArrayList<>();
    for (String file :
        git.local(repo, "diff", "--name-only", "--no-renames", from, to).split("\n")) {
      if (!file.isBlank()) {
        files.add(file);
      }
    }
    String diff = git.local(repo, "diff", "--no-color", "--no-ext-diff", from, to);
    if (diff.length() > MAX_DIFF_CHARS) {
      diff =
          diff.substring(0, MAX_DIFF_CHARS)
              + "\n… cut at "
              + MAX_DIFF_CHARS
              + " characters; see the branch for the rest\n";
    }
    return new Diff(state.cycleId(), step, git.local(repo, "rev-parse", from), to, files, diff);
  }

  /**
   * Reverts step {@code step}'s commit on the cycle branch as a new commit, pushed leased on the
   * recorded head, then recorded as the branch's head and in {@code reverts}.
   */
  public Reverted revert(CycleStore store, String cycleId, String step) {
    CycleState state = store.require(cycleId);
    if (state.workspace() == null || state.workspace().git() == null) {
      throw AgentOsException.invalid(
          "cycle " + cycleId + " has no git workspace; revert works on git workspaces only");
    }
    // At rest no phase runs (ended, or waiting for a person): a revert cannot race a step's push.
    if (!state.status().isFinal() && !state.status().waitsForPerson()) {
      throw new AgentOsException(
          ErrorCode.CONFLICT,
          "cycle "
              + cycleId
              + " is "
              + state.status()
              + "; revert a step once no phase runs (paused, waiting for a person, or ended)");
    }
    String reverted = commitOf(state, step);
    String recorded = head(state);
    String commit;
    try (PhaseWorkspace ws = checkouts.open(state)) {
      Path worktree = ((CycleCheckout) ws).worktree();
      if (!git.localRaw(worktree, "revert", "--no-commit", reverted).succeeded()) {
        git.localRaw(worktree, "revert", "--abort");
        throw new AgentOsException(
            ErrorCode.CONFLICT,
            "step "
                + step
                + "'s commit "
                + reverted
                + " does not revert cleanly on the branch's head; later steps changed the same"
                + " lines");
      }
      commit = ws.commit("agentos: revert step " + step).orElseThrow();
    }
    store.update(
        cycleId,
        s -> {
          if (!recorded.equals(s.workspace().git().head())) {
            throw new AgentOsException(
                ErrorCode.CONFLICT, "cycle " + cycleId + " moved on while its step was reverted");
          }
          ArrayNode reverts =
              s.extra().get("reverts") instanceof ArrayNode a
                  ? a.deepCopy()
                  : Json.mapper().createArrayNode();
          reverts
              .addObject()
              .put("step", step)
              .put("reverted", reverted)
              .put("commit", commit)
              .put("at", clock.instant().toString());
          return s.toBuilder()
              .workspace(s.workspace().withGitHead(commit))
              .extra("reverts", reverts)
              .updatedAt(clock.instant())
              .build();
        });
    return new Reverted(cycleId, step, reverted, commit);
  }

  private Path repository(CycleState state) {
    if (state.workspace() != null && state.workspace().git() != null) {
      return checkouts.fetchCycleBranch(state);
    }
    if (state.workspace() != null && state.workspace().isolated()) {
      return Path.of(state.workspace().path());
    }
    throw AgentOsException.invalid(
        "cycle "
            + state.cycleId()
            + " works in a local directory Agent OS does not commit in; its changes are what git"
            + " shows there (submit with isolate or a git workspace for a commit per step)");
  }

  private static String head(CycleState state) {
    if (state.workspace().git() != null && state.workspace().git().head() != null) {
      return state.workspace().git().head();
    }
    return lastCommit(state)
        .orElseThrow(
            () ->
                new AgentOsException(
                    ErrorCode.NOT_FOUND, "cycle " + state.cycleId() + " has no commit yet"));
  }

  /** The commit of step {@code step}, from the latest iteration that ran it. */
  private static String commitOf(CycleState state, String step) {
    for (int i = state.iterations().size() - 1; i >= 0; i--) {
      Optional<StepRecord> record = state.iterations().get(i).executionOrEmpty().step(step);
      if (record.isPresent() && record.get().workspaceRef() != null) {
        return record.get().workspaceRef();
      }
    }
    throw new AgentOsException(
        ErrorCode.NOT_FOUND,
        "cycle " + state.cycleId() + " has no commit of step '" + step + "'; see agentos status");
  }

  private static Optional<String> firstCommit(CycleState state) {
    for (Iteration iteration : state.iterations()) {
      for (StepRecord step : iteration.executionOrEmpty().steps()) {
        if (step.workspaceRef() != null) {
          return Optional.of(step.workspaceRef());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> lastCommit(CycleState state) {
    String last = null;
    for (Iteration iteration : state.iterations()) {
      for (StepRecord step : iteration.executionOrEmpty().steps()) {
        if (step.workspaceRef() != null) {
          last = step.workspaceRef();
        }
      }
    }
    return Optional.ofNullable(last);
  }
}
