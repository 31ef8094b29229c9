package dev.agentos.cli;

import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What {@code agentos watch} shows of a cycle: on a terminal, a small block redrawn in place
 * (phase, step n/m with a progress bar, elapsed time, usage); elsewhere, one line per change. Pure
 * functions of the state and the time, so they are tested without NATS.
 */
public final class WatchView {
  static final int BAR_WIDTH = 24;
  static final int TITLE_CHARS = 60;
  private static final List<StepStatus> COUNT_ORDER =
      List.of(
          StepStatus.COMPLETED,
          StepStatus.FAILED,
          StepStatus.SKIPPED,
          StepStatus.RUNNING,
          StepStatus.PENDING);

  private WatchView() {}

  /** The block a terminal shows, redrawn on every change and every second. */
  public static List<String> frame(CycleState s, Instant now, Style style) {
    List<String> lines = new ArrayList<>();
    lines.add(style.bold(s.cycleId()) + "  " + s.project() + " | " + task(s));
    lines.add(
        "  "
            + style.status(s.status())
            + "   phase "
            + s.phase()
            + "   iteration "
            + s.iteration()
            + "/"
            + s.optionsOrDefaults().maxIterationsOrDefault()
            + "   elapsed "
            + Elapsed.clock(elapsed(s, now)));
    lines.add("  " + stepLine(s, true));
    StepGraphView.summary(s.currentIteration()).ifPresent(graph -> lines.add("  " + graph));
    lines.add("  " + style.dim("agent usage: " + UsageText.of(s.usageOrNone().total())));
    return lines;
  }

  /** One line for a log or a pipe; printed when {@link #key} changes. */
  public static String line(CycleState s, Instant now) {
    return Elapsed.clock(elapsed(s, now)) + " " + key(s);
  }

  /** What the line says apart from the time: a new line is printed only when this changes. */
  public static String key(CycleState s) {
    return s.status()
        + " phase "
        + s.phase()
        + " iteration "
        + s.iteration()
        + "/"
        + s.optionsOrDefaults().maxIterationsOrDefault()
        + " | "
        + stepLine(s, false)
        + StepGraphView.summary(s.currentIteration()).map(graph -> " | " + graph).orElse("")
        + " | "
        + UsageText.of(s.usageOrNone().total());
  }

  /** What the cycle came to, and what a person can do next. */
  public static List<String> outcome(CycleState s, Instant now, Style style) {
    List<String> lines = new ArrayList<>();
    String id = s.cycleId();
    String took = " after " + Elapsed.clock(elapsed(s, now));
    switch (s.status()) {
      case COMPLETED -> {
        Review review = s.currentIteration().review();
        lines.add(
            style.green("COMPLETED")
                + took
                + (review == null
                    ? ""
                    : " | review "
                        + review.verdict()
                        + ", score "
                        + review.score()
                        + " ("
                        + review.band()
                        + (review.unverified() == null ? ")" : ", unverified)")));
        String recap = recapPath(s);
        if (recap != null) {
          lines.add("recap: " + recap);
        }
      }
      case FAILED -> {
        lines.add(
            style.red("FAILED")
                + took
                + (s.error() == null
                    ? ""
                    : " in "
                        + s.error().phase()
                        + ": "
                        + s.error().message()
                        + " ["
                        + s.error().code()
                        + "]"));
        lines.addAll(failedSteps(s));
        lines.add("see what happened: agentos logs " + id + "   |   agentos status " + id);
        lines.add("run the failed steps again: agentos retry " + id);
      }
      case CANCELLED -> lines.add(style.dim("CANCELLED") + took);
      case AWAITING_APPROVAL -> {
        String gate = s.approval() == null ? "a gate" : s.approval().gate().name();
        lines.add(style.yellow("AWAITING_APPROVAL") + " at " + gate + took);
        lines.add("approve: agentos approve " + id);
        lines.add("reject:  agentos approve " + id + " --reject --comment 'what to change'");
      }
      case NEEDS_INPUT -> {
        String step = s.question() == null ? "a step" : "step " + s.question().stepId();
        lines.add(style.yellow("NEEDS_INPUT") + ": the agent of " + step + " asks" + took);
        if (s.question() != null) {
          lines.add("  " + s.question().text());
          if (s.question().context() != null) {
            lines.add("  (" + abbreviate(s.question().context(), 300) + ")");
          }
        }
        lines.add("answer: agentos answer " + id + " 'your answer'");
      }
      case PAUSED -> {
        lines.add(
            style.yellow("PAUSED")
                + took
                + (s.pauseReason() == null ? "" : ": " + s.pauseReason()));
        lines.add(
            "continue: agentos resume "
                + id
                + " (raise limits with --tokens, --cost-usd, --wall-seconds)");
      }
      default -> lines.add(style.status(s.status()) + took);
    }
    return lines;
  }

  static String stepLine(CycleState s, boolean bar) {
    CycleProgress progress = CycleProgress.of(s);
    if (progress.total() == 0) {
      return s.status() == Status.QUEUED || s.phase() == Phase.PLAN ? "planning..." : "no steps";
    }
    String counts = progress.current() == null ? stepCounts(s) : "done";
    if (!counts.equals("done")) {
      return progress.total() + " steps: " + counts;
    }
    StringBuilder line =
        new StringBuilder("step ").append(progress.position()).append('/').append(progress.total());
    if (bar) {
      line.append(' ').append(ProgressBar.render(progress.done(), progress.total(), BAR_WIDTH));
    }
    if (progress.current() != null) {
      line.append(' ').append(abbreviate(progress.current().title(), TITLE_CHARS));
      if (progress.currentRecord() != null && progress.currentRecord().attempts() > 1) {
        line.append(" (attempt ").append(progress.currentRecord().attempts()).append(')');
      }
    } else {
      line.append(" done");
    }
    return line.toString();
  }

  /**
   * "done" when every step completed; otherwise how many ended in each status ("1 COMPLETED, 1
   * FAILED, 1 PENDING"): a failed or cancelled cycle's steps are finished, not done.
   */
  static String stepCounts(CycleState s) {
    Iteration iteration = s.currentIteration();
    Map<StepStatus, Integer> counts = new EnumMap<>(StepStatus.class);
    for (PlanStep step : iteration.plan().steps()) {
      counts.merge(iteration.stepStatus(step.id()), 1, Integer::sum);
    }
    if (counts.keySet().equals(Set.of(StepStatus.COMPLETED))) {
      return "done";
    }
    StringJoiner text = new StringJoiner(", ");
    for (StepStatus status : COUNT_ORDER) {
      if (counts.containsKey(status)) {
        text.add(counts.get(status) + " " + status);
      }
    }
    return text.toString();
  }

  /** The current iteration's FAILED steps, one line each with why. */
  static List<String> failedSteps(CycleState s) {
    Iteration iteration = s.currentIteration();
    List<String> lines = new ArrayList<>();
    if (iteration.plan() == null) {
      return lines;
    }
    for (PlanStep step : iteration.plan().steps()) {
      StepRecord record = iteration.executionOrEmpty().step(step.id()).orElse(null);
      if (record != null && record.status() == StepStatus.FAILED) {
        lines.add(
            "failed step "
                + abbreviate(step.title(), TITLE_CHARS)
                + " (attempt "
                + record.attempts()
                + ")"
                + (record.summary() == null ? "" : ": " + abbreviate(record.summary(), 120)));
      }
    }
    return lines;
  }

  static Duration elapsed(CycleState s, Instant now) {
    if (s.createdAt() == null) {
      return Duration.ZERO;
    }
    boolean stopped = s.status().isFinal() || s.status().waitsForPerson();
    Instant end = stopped && s.updatedAt() != null ? s.updatedAt() : now;
    return Duration.between(s.createdAt(), end);
  }

  static String task(CycleState s) {
    if (s.spec() != null) {
      return s.spec();
    }
    return s.goal() == null ? "-" : "goal: " + abbreviate(s.goal(), TITLE_CHARS);
  }

  /** Where the recap of the current iteration is on disk, or null if none was written. */
  static String recapPath(CycleState s) {
    var express = s.currentIteration().express();
    if (express == null || express.recapPath() == null) {
      return null;
    }
    return s.workspace() == null || s.workspace().path() == null
        ? express.recapPath()
        : java.nio.file.Path.of(s.workspace().path()).resolve(express.recapPath()).toString();
  }

  static String abbreviate(String text, int max) {
    String oneLine = Printable.line(text);
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
  }
}
