package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.Delivery;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.GitRef;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.StepGraph;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code agentos status <id>}: one cycle in full: what it is, where it stands, and per iteration
 * its plan with each step's status, attempts and time, the recap, the review and the usage.
 */
public final class CycleReport {
  static final int SUMMARY_CHARS = 60;

  private CycleReport() {}

  public static List<String> lines(CycleState s, Instant now, Style style) {
    List<String> lines = new ArrayList<>();
    lines.add(
        style.bold("cycle " + s.cycleId()) + "  project " + s.project() + "  " + s.instruction());
    lines.add(
        "status     "
            + style.status(s.status())
            + "  phase "
            + s.phase()
            + "  iteration "
            + s.iteration()
            + " of at most "
            + s.optionsOrDefaults().maxIterationsOrDefault());
    lines.add("task       " + WatchView.task(s));
    if (s.workspace() != null && s.workspace().path() != null) {
      lines.add("workspace  " + s.workspace().path());
    }
    if (s.workspace() != null && s.workspace().git() != null) {
      lines.addAll(git(s));
    }
    lines.add(
        "time       created "
            + instant(s.createdAt())
            + ", updated "
            + instant(s.updatedAt())
            + " (elapsed "
            + Elapsed.clock(WatchView.elapsed(s, now))
            + ")");
    lines.add("usage      " + UsageText.of(s.usageOrNone().total()));
    Map<Phase, Usage> phases = s.usageOrNone().phases();
    if (phases != null) {
      for (Phase phase : Phase.values()) {
        if (phases.containsKey(phase)) {
          lines.add("  " + pad(phase.name(), 9) + UsageText.of(phases.get(phase)));
        }
      }
    }
    if (s.approval() != null) {
      lines.add(
          style.yellow("waiting    for approval at " + s.approval().gate())
              + " since "
              + s.approval().requestedAt());
    }
    if (s.pauseReason() != null) {
      lines.add(style.yellow("paused     " + s.pauseReason()));
    }
    if (s.error() != null) {
      lines.add(
          style.red("error      ")
              + s.error().phase()
              + " "
              + s.error().code()
              + ": "
              + s.error().message());
    }
    for (Iteration iteration : s.iterations()) {
      lines.add("");
      lines.addAll(iteration(iteration, style));
    }
    List<String> next = WatchView.outcome(s, now, style);
    if (s.status().isFinal() || ExitCode.ofCycle(s.status()) > 0) {
      lines.add("");
      lines.addAll(next.subList(1, next.size()));
    } else {
      lines.add("");
      lines.add("follow it live: agentos watch " + s.cycleId());
    }
    return lines;
  }

  static List<String> iteration(Iteration it, Style style) {
    List<String> lines = new ArrayList<>();
    lines.add(style.bold("iteration " + it.number()));
    for (FeedbackItem item : it.feedbackIn()) {
      lines.add("  asked to fix: " + WatchView.abbreviate(item.what(), 100));
    }
    if (it.plan() == null) {
      lines.add("  PLAN     not planned yet");
      return lines;
    }
    lines.add(
        "  PLAN     "
            + it.plan().steps().size()
            + " step(s) from "
            + (it.plan().source() == null ? "the planner" : it.plan().source()));
    for (String note : it.plan().notes() == null ? List.<String>of() : it.plan().notes()) {
      lines.add("           note: " + note);
    }
    // A plan with depends_on gets a column saying which step waits for which.
    Optional<StepGraph> graph = StepGraphView.of(it);
    Table steps =
        graph.isPresent()
            ? new Table("STEP", "TITLE", "WAITS FOR", "STATUS", "ATTEMPTS", "TIME", "SUMMARY")
            : new Table("STEP", "TITLE", "STATUS", "ATTEMPTS", "TIME", "SUMMARY");
    for (PlanStep step : it.plan().steps()) {
      StepRecord record = it.executionOrEmpty().step(step.id()).orElse(null);
      StepStatus status = record == null ? StepStatus.PENDING : record.status();
      List<String> cells = new ArrayList<>();
      cells.add(step.id());
      cells.add(WatchView.abbreviate(step.title(), 40));
      graph.ifPresent(g -> cells.add(StepGraphView.waitsFor(g, step.id(), it.executionOrEmpty())));
      cells.addAll(
          List.of(
              stepStatus(status, style),
              record == null ? "-" : Integer.toString(record.attempts()),
              record == null || record.startedAt() == null || record.finishedAt() == null
                  ? "-"
                  : Elapsed.brief(Duration.between(record.startedAt(), record.finishedAt())),
              record == null || record.summary() == null
                  ? "-"
                  : WatchView.abbreviate(record.summary(), SUMMARY_CHARS)));
      steps.row(cells.toArray(String[]::new));
    }
    lines.add("  EXECUTE");
    StepGraphView.summary(it).ifPresent(summary -> lines.add("    " + summary));
    steps.lines(style).forEach(line -> lines.add("    " + line));
    for (StepRecord record : it.executionOrEmpty().steps()) {
      for (String note : record.notes() == null ? List.<String>of() : record.notes()) {
        lines.add("    step " + record.id() + " note: " + note);
      }
    }
    if (it.express() != null) {
      lines.add(
          "  EXPRESS  "
              + (it.express().summary() == null ? "" : it.express().summary())
              + (it.express().recapPath() == null ? "" : "  recap " + it.express().recapPath()));
    }
    Review review = it.review();
    if (review != null) {
      lines.add(
          "  REVIEW   "
              + review.verdict()
              + "  score "
              + review.score()
              + " ("
              + review.band()
              + ")");
      if (review.unverified() != null) {
        lines.add("    " + style.red(review.unverified()));
      }
      for (Check check : review.checks()) {
        lines.add(
            "    "
                + (check.passed() ? style.green("pass") : style.red("FAIL"))
                + " "
                + check.name()
                + (check.detail() == null ? "" : ": " + WatchView.abbreviate(check.detail(), 100)));
      }
    }
    return lines;
  }

  static String stepStatus(StepStatus status, Style style) {
    return switch (status) {
      case COMPLETED -> style.green(status.name());
      case FAILED -> style.red(status.name());
      case RUNNING -> style.cyan(status.name());
      default -> style.dim(status.name());
    };
  }

  static String instant(Instant at) {
    return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** The remote, the cycle's branch and what became of it at COMPLETED. */
  private static List<String> git(CycleState s) {
    GitRef git = s.workspace().git();
    List<String> out = new ArrayList<>();
    out.add(
        "workspace  "
            + git.url()
            + " branch "
            + git.branch()
            + (git.ref() == null ? "" : " from " + git.ref())
            + (git.deliverOrDefault() == Delivery.FAST_FORWARD ? " (deliver: fast-forward)" : ""));
    JsonNode delivery = s.extra().get("delivery");
    if (delivery != null) {
      out.add(
          "delivery   "
              + delivery.path("status").asText()
              + ": "
              + WatchView.abbreviate(delivery.path("reason").asText(), 200));
    }
    return out;
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }
}
