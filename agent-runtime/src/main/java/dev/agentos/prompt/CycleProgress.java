package dev.agentos.prompt;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Review;
import dev.agentos.state.StepRecord;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a cycle stands, for every agent's prompt (CLI agents included, which get the same text on
 * stdin): the plan with each step's status and what each completed step did and changed, the
 * previous iterations' reviews, and the changes so far against the cycle's base (the workspace's
 * commit when its first step started) — for Review, the diff itself. Everything is bounded here or
 * by the prompt's size cap, which says what it cut.
 */
public final class CycleProgress {
  /** Section priorities, between the decisions (cut first) and the feedback. */
  public static final int HISTORY = 15;

  public static final int DIFF = 25;
  public static final int CHANGES = 35;
  public static final int PLAN = 45;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int SUMMARY_CHARS = 400;
  private static final int NEW_FILES = 20;
  private static final int NEW_FILE_CHARS = 4000;

  private CycleProgress() {}

  /**
   * The plan of the current iteration, each step with its status, the steps it waits for ("(after
   * 1, 2)") when it declares any, and what a done step said and changed.
   */
  public static String plan(Iteration iteration) {
    return StepRecordText.render(
        iteration,
        (out, step, record, status) -> {
          out.append("- [").append(status).append("] ").append(step.id()).append(". ");
          out.append(step.title());
          if (!step.dependsOn().isEmpty()) {
            out.append(" (after ").append(String.join(", ", step.dependsOn())).append(')');
          }
          out.append('\n');
          if (record.isPresent() && status.isDone()) {
            StepRecord r = record.get();
            if (r.summary() != null && !r.summary().isBlank()) {
              out.append("  summary: ").append(shorten(r.summary())).append('\n');
            }
            if (r.changes() != null) {
              out.append("  ").append(r.changes().describe()).append('\n');
            }
          }
        });
  }

  /** The changes so far as a prompt section ({@code {{changes}}}). */
  public static PromptSection changesSection(Path workspace, CycleState state) {
    return new PromptSection("changes", "the changes so far", changes(workspace, state), CHANGES);
  }

  /** The earlier iterations' reviews as a prompt section ({@code {{history}}}). */
  public static PromptSection historySection(CycleState state) {
    return new PromptSection("history", "the earlier iterations' reviews", history(state), HISTORY);
  }

  /** The reviews of the iterations before the current one, with their feedback. */
  public static String history(CycleState state) {
    StringBuilder out = new StringBuilder();
    for (Iteration it : state.iterations()) {
      if (it.number() >= state.iteration() || it.review() == null) {
        continue;
      }
      Review review = it.review();
      out.append("- iteration ")
          .append(it.number())
          .append(": ")
          .append(review.verdict())
          .append(", score ")
          .append(review.score())
          .append(review.unverified() == null ? "" : " (unverified)")
          .append('\n');
      for (FeedbackItem item : review.feedback()) {
        out.append("  - ").append(item.what());
        if (item.why() != null && !item.why().isBlank()) {
          out.append(" — ").append(item.why());
        }
        out.append('\n');
      }
    }
    return out.isEmpty() ? "(none: this is the first iteration)" : out.toString().strip();
  }

  /**
   * {@code git diff --stat} against the cycle's base and the new files, or the measured changes.
   */
  public static String changes(Path workspace, CycleState state) {
    Optional<String> base = base(state);
    if (base.isEmpty() || !Files.exists(workspace.resolve(".git"))) {
      return measured(state);
    }
    return changesSince(workspace, base.get());
  }

  /** What changed in a git workspace since {@code base}: the diff's stat and the new files. */
  public static String changesSince(Path workspace, String base) {
    try {
      String stat = git(workspace, "diff", "--stat", base).strip();
      List<String> untracked = untracked(workspace);
      StringBuilder out = new StringBuilder(stat.isEmpty() ? "(no tracked file changed)" : stat);
      if (!untracked.isEmpty()) {
        out.append("\nnew files: ").append(String.join(", ", untracked));
      }
      return out.toString();
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e;
      }
      return "(git could not say what changed: " + e.getMessage() + ")";
    }
  }

  /**
   * The diff of the cycle so far, for Review: {@code git diff} against the base and the text of the
   * new files. Its size is left to the prompt's cap, which cuts it with a note.
   */
  public static String diff(Path workspace, CycleState state) {
    Optional<String> base = base(state);
    if (base.isEmpty() || !Files.exists(workspace.resolve(".git"))) {
      return "(no git history to diff: the workspace is not a git repository, or no step recorded"
          + " its start)\n"
          + measured(state);
    }
    return diffSince(workspace, base.get());
  }

  /**
   * {@code git diff} of a git workspace against {@code base} and the text of the new files (each
   * shortened, at most {@value #NEW_FILES} of them); what git could not give is said in the text.
   */
  public static String diffSince(Path workspace, String base) {
    try {
      StringBuilder out = new StringBuilder(git(workspace, "diff", base).strip());
      WorkspaceFiles files = WorkspaceFiles.of(workspace);
      List<String> untracked = untracked(workspace);
      for (String path : untracked.subList(0, Math.min(NEW_FILES, untracked.size()))) {
        String text = files.readForPrompt(path, "(unreadable)");
        if (text.length() > NEW_FILE_CHARS) {
          text = text.substring(0, NEW_FILE_CHARS) + "\n[… the rest of the file left out]";
        }
        out.append("\n\nnew file ").append(path).append(":\n").append(text.strip());
      }
      if (untracked.size() > NEW_FILES) {
        out.append("\n\n[… ").append(untracked.size() - NEW_FILES).append(" more new files]");
      }
      String diff = out.toString().strip();
      return diff.isEmpty() ? "(the diff is empty: nothing changed since the cycle began)" : diff;
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e;
      }
      return "(git could not give the diff: " + e.getMessage() + ")";
    }
  }

  /** The workspace's commit when the current iteration's first recorded step started. */
  public static Optional<String> iterationBase(CycleState state) {
    for (StepRecord record : state.currentIteration().executionOrEmpty().steps()) {
      if (record.baseRef() != null) {
        return Optional.of(record.baseRef());
      }
    }
    return Optional.empty();
  }

  /** The workspace's commit when the cycle's first recorded step started. */
  static Optional<String> base(CycleState state) {
    for (Iteration it : state.iterations()) {
      for (StepRecord record : it.executionOrEmpty().steps()) {
        if (record.baseRef() != null) {
          return Optional.of(record.baseRef());
        }
      }
    }
    return Optional.empty();
  }

  /** The files the steps of every iteration were measured to change. */
  private static String measured(CycleState state) {
    Set<String> files = new TreeSet<>();
    boolean any = false;
    for (Iteration it : state.iterations()) {
      for (StepRecord record : it.executionOrEmpty().steps()) {
        if (record.changes() != null) {
          any = true;
          files.addAll(record.changes().files());
        }
      }
    }
    if (!any) {
      return "(nothing measured yet)";
    }
    return files.isEmpty()
        ? "no files changed so far"
        : "files the steps changed so far: " + String.join(", ", files);
  }

  private static List<String> untracked(Path workspace) {
    List<String> paths = new ArrayList<>();
    for (String path :
        git(workspace, "ls-files", "--others", "--exclude-standard", "-z").split("\0")) {
      if (!path.isBlank()) {
        paths.add(path);
      }
    }
    return paths;
  }

  private static String git(Path workspace, String... args) {
    Finished git = ProcessLauncher.standard().git(workspace, TIMEOUT, List.of(args));
    if (!git.succeeded()) {
      throw new AgentOsException(
          ErrorCode.INTERNAL,
          "git "
              + args[0]
              + (git.timedOut() ? " took longer than " + TIMEOUT : " failed")
              + ": "
              + git.stderr().lastChars(300));
    }
    return git.stdout().text();
  }

  private static String shorten(String text) {
    String flat = text.strip().replace("\n", " ");
    return flat.length() <= SUMMARY_CHARS ? flat : flat.substring(0, SUMMARY_CHARS) + "…";
  }
}
