package dev.agentos.executor;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The git-commit instruction's step, done by Agent OS itself rather than an agent: stage every
 * change and commit it with a message drawn from the Express summary of the cycle before. It never
 * pushes unless the cycle's options allow it, and it refuses to commit when the index already holds
 * staged changes it did not make — those belong to a person.
 */
final class GitCommitAction {
  private static final int SUBJECT_CHARS = 72;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ProcessLauncher LAUNCHER = ProcessLauncher.standard();

  private GitCommitAction() {}

  static String run(Path workspace, CycleState state) {
    if (!Files.exists(workspace.resolve(".git"))) {
      throw failed("the workspace " + workspace + " is not a git repository");
    }
    if (git(workspace, "diff", "--cached", "--quiet").status() != 0) {
      throw failed(
          "the index already holds staged changes Agent OS did not make; commit or unstage them"
              + " (git restore --staged .), then retry the cycle");
    }
    require(git(workspace, "add", "-A"), "git add -A");
    if (git(workspace, "diff", "--cached", "--quiet").status() == 0) {
      return "nothing to commit: the workspace has no changes";
    }
    String message = message(state);
    List<String> commit = new ArrayList<>();
    if (git(workspace, "config", "user.email").out().isBlank()) {
      commit.addAll(List.of("-c", "user.name=Agent OS", "-c", "user.email=agentos@localhost"));
    }
    commit.addAll(List.of("commit", "-q", "-m", message));
    require(git(workspace, commit.toArray(String[]::new)), "git commit");
    String sha = git(workspace, "rev-parse", "--short", "HEAD").out().strip();
    String summary = "committed " + sha + ": " + message.lines().findFirst().orElse("");
    if (state.optionsOrDefaults().allowsPush()) {
      require(git(workspace, "push"), "git push");
      summary += " (pushed)";
    }
    return summary;
  }

  static String message(CycleState state) {
    String source =
        state.parentSummary() != null
            ? state.parentSummary()
            : state.goal() != null ? state.goal() : "Agent OS cycle " + state.cycleId();
    String flat = source.strip().replaceAll("\\s+", " ");
    String subject =
        flat.length() <= SUBJECT_CHARS ? flat : flat.substring(0, SUBJECT_CHARS - 1) + "…";
    String trailer =
        "Agent-OS-Cycle: "
            + (state.parentCycleId() != null ? state.parentCycleId() : state.cycleId());
    return flat.length() <= SUBJECT_CHARS
        ? subject + "\n\n" + trailer
        : subject + "\n\n" + source.strip() + "\n\n" + trailer;
  }

  private record Result(int status, String out) {}

  private static void require(Result result, String what) {
    if (result.status() != 0) {
      throw failed(what + " failed: " + result.out().strip());
    }
  }

  private static Result git(Path workspace, String... args) {
    // Prompts, hooks and outside config off (the launcher's git), every wait with a deadline.
    Finished git = LAUNCHER.git(workspace, TIMEOUT, List.of(args));
    if (git.timedOut()) {
      throw failed("git " + args[0] + " took longer than " + TIMEOUT + " and was stopped");
    }
    return new Result(git.exitCode(), git.stdout().text());
  }

  private static AgentOsException failed(String reason) {
    return new AgentOsException(ErrorCode.AGENT_FAILED, reason);
  }
}
