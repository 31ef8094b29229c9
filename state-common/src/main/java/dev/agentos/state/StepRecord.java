package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint of one executed step: written before the next step starts. {@code notes} says what
 * went wrong after the step's work was done (its transcript could not be stored, its box could not
 * be ticked, it changed no file): things a person should know, never a reason to run the step
 * again. {@code baseRef} is the workspace's git commit when the attempt started (what a retry
 * compares against to see what an interrupted attempt left). {@code changes} is what the step
 * changed in the workspace as Agent OS measured it; null when it was not measured (Agent OS's own
 * steps, older states). {@code agentSession} is a CLI agent's own session, for a replica that takes
 * the step over to resume (v1.2). {@code lastOutput} is what the running agent did last (a model's
 * latest turn, a CLI agent's output tail; trimmed), saved with the heartbeats, so that the attempt
 * after an interrupted one is told where it stopped; a finished step drops it (an optional field of
 * v1.2). {@code lease} is which executor replica runs the step, and until when, when the plan's
 * steps run in parallel as work items of their own (v1.4; absent in a sequential plan, whose steps
 * run under the phase's lease, and in a finished record).
 */
public record StepRecord(
    String id,
    StepStatus status,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    String summary,
    ArtifactRef artifact,
    String workspaceRef,
    String baseRef,
    StepChanges changes,
    List<String> notes,
    AgentSession agentSession,
    List<AnsweredQuestion> answers,
    String lastOutput,
    Lease lease,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  /** How an agent says its step needed no change to the files, and why. */
  public static final String NO_CHANGE = "NO CHANGE:";

  /** How many answered questions a step keeps: the older ones are in the agent's own session. */
  public static final int MAX_ANSWERS = 3;

  public StepRecord {
    notes = notes == null || notes.isEmpty() ? null : List.copyOf(notes);
    answers = answers == null || answers.isEmpty() ? null : List.copyOf(answers);
  }

  public static StepRecord started(String id, int attempt, Instant at) {
    return new StepRecord(
        id,
        StepStatus.RUNNING,
        attempt,
        at,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Extra.none());
  }

  /**
   * The record of a step that cannot run because the steps it waits for ({@code
   * failedDependencies}) did not complete: it never started, and says which dependency stopped it,
   * for Review and the recap.
   */
  public static StepRecord skipped(String id, List<String> failedDependencies, Instant at) {
    String why =
        "not run: it waits for step"
            + (failedDependencies.size() == 1 ? " " : "s ")
            + String.join(", ", failedDependencies)
            + ", which did not complete";
    return started(id, 0, at).finished(StepStatus.SKIPPED, at, why, null, null);
  }

  /**
   * The next attempt of this step, RUNNING under {@code held} from {@code at}: a parallel step's
   * claim. What an interrupted attempt left (its base commit, the agent's session) is kept for the
   * attempt that takes it over.
   */
  public StepRecord claimed(Lease held, Instant at) {
    return run(StepStatus.RUNNING, attempts + 1, at, null, null, held);
  }

  /** The same record under {@code held} (a renewal), or without a lease ({@code null}). */
  public StepRecord withLease(Lease held) {
    return run(status, attempts, startedAt, finishedAt, summary, held);
  }

  /** This step's record with its run (status, attempt, times, summary, lease) as given. */
  private StepRecord run(
      StepStatus runStatus,
      int runAttempts,
      Instant runStarted,
      Instant runFinished,
      String runSummary,
      Lease held) {
    return new StepRecord(
        id,
        runStatus,
        runAttempts,
        runStarted,
        runFinished,
        runSummary,
        artifact,
        workspaceRef,
        baseRef,
        changes,
        notes,
        agentSession,
        answers,
        lastOutput,
        held,
        extra);
  }

  /** The same record with the workspace's git commit when the attempt started. */
  public StepRecord withBaseRef(String sha) {
    return after(sha, artifact, changes, notes);
  }

  public StepRecord finished(
      StepStatus outcome, Instant at, String summary, ArtifactRef artifact, String workspaceRef) {
    return new StepRecord(
        id,
        outcome,
        attempts,
        startedAt,
        at,
        summary,
        artifact,
        workspaceRef,
        baseRef,
        changes,
        notes,
        agentSession,
        answers,
        null,
        null,
        extra);
  }

  /** The same finished record with the commit that holds its work. */
  public StepRecord withWorkspaceRef(String sha) {
    return finished(status, finishedAt, summary, artifact, sha);
  }

  /** The same record with the agent's own session as now known. */
  public StepRecord withAgentSession(AgentSession session) {
    return after(baseRef, artifact, changes, notes, session);
  }

  /** The same record with one more answered question; only the newest {@value #MAX_ANSWERS}. */
  public StepRecord withAnswer(AnsweredQuestion answered) {
    List<AnsweredQuestion> more = answers == null ? new ArrayList<>() : new ArrayList<>(answers);
    more.add(answered);
    return withAnswers(more);
  }

  /** The same record with {@code all} as its answered questions (the newest kept). */
  public StepRecord withAnswers(List<AnsweredQuestion> all) {
    List<AnsweredQuestion> kept =
        all == null ? null : all.subList(Math.max(0, all.size() - MAX_ANSWERS), all.size());
    return after(baseRef, artifact, changes, notes, agentSession, kept, lastOutput);
  }

  /**
   * Whether a person answered this attempt's question after the attempt started: the attempt ended
   * by asking, and the next run continues it with the answer (rather than retrying it).
   */
  public boolean answeredSinceStart() {
    return lastAnswer()
        .map(AnsweredQuestion::answeredAt)
        .filter(at -> startedAt != null && !at.isBefore(startedAt))
        .isPresent();
  }

  /** The same record with what its agent did last, as saved while it runs. */
  public StepRecord withLastOutput(String output) {
    return after(baseRef, artifact, changes, notes, agentSession, answers, output);
  }

  /** The question answered last, if its agent asked one. */
  public Optional<AnsweredQuestion> lastAnswer() {
    return answers == null ? Optional.empty() : Optional.of(answers.get(answers.size() - 1));
  }

  /** The same record with its transcript stored in the artifact store. */
  public StepRecord withArtifact(ArtifactRef stored) {
    return after(baseRef, stored, changes, notes);
  }

  /** The same record with what the step changed in the workspace. */
  public StepRecord withChanges(StepChanges measured) {
    return after(baseRef, artifact, measured, notes);
  }

  /** The same record with one more note. */
  public StepRecord withNote(String note) {
    List<String> more = notes == null ? new ArrayList<>() : new ArrayList<>(notes);
    more.add(note);
    return after(baseRef, artifact, changes, more);
  }

  /**
   * The reason the agent gave for a step that needed no change to the files: the text after {@value
   * #NO_CHANGE} on a line of its answer (the execute prompt asks for that line), if there is one.
   */
  public Optional<String> noChangeReason() {
    if (summary == null) {
      return Optional.empty();
    }
    return summary
        .lines()
        .map(String::strip)
        .filter(line -> line.toUpperCase(Locale.ROOT).startsWith(NO_CHANGE))
        .map(line -> line.substring(NO_CHANGE.length()).strip())
        .filter(reason -> !reason.isEmpty())
        .findFirst();
  }

  /** The same step with what was learnt about it since. */
  private StepRecord after(
      String base, ArtifactRef stored, StepChanges measured, List<String> allNotes) {
    return after(base, stored, measured, allNotes, agentSession);
  }

  private StepRecord after(
      String base,
      ArtifactRef stored,
      StepChanges measured,
      List<String> allNotes,
      AgentSession session) {
    return after(base, stored, measured, allNotes, session, answers, lastOutput);
  }

  private StepRecord after(
      String base,
      ArtifactRef stored,
      StepChanges measured,
      List<String> allNotes,
      AgentSession session,
      List<AnsweredQuestion> allAnswers,
      String output) {
    return new StepRecord(
        id,
        status,
        attempts,
        startedAt,
        finishedAt,
        summary,
        stored,
        workspaceRef,
        base,
        measured,
        allNotes,
        session,
        allAnswers,
        output,
        lease,
        extra);
  }

  /**
   * How the step ended, for its {@code step_finished} event: {@code 2 completed, 3 files changed}.
   */
  public String endNote() {
    if (status == StepStatus.SKIPPED) {
      return id + " skipped: " + summary;
    }
    if (status != StepStatus.COMPLETED) {
      return id + " failed: " + summary;
    }
    return changes == null ? id + " completed" : id + " completed, " + changes.describe();
  }
}
