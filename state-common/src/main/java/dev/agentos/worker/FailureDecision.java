package dev.agentos.worker;

import dev.agentos.error.ErrorCode;
import java.time.Duration;

/** What to do about a failure, as {@link FailurePolicy} decides it. */
public sealed interface FailureDecision {
  /** Run the step again, telling the agent what went wrong the last time. */
  record RetryStep(String feedback) implements FailureDecision {}

  /** Not the step's to settle (the agent could not run at all, or the worker stopped it). */
  record Escalate() implements FailureDecision {}

  /** Record the step FAILED and go on with the next one: Review judges what that means. */
  record FailStep(String reason) implements FailureDecision {}

  /** Give the phase back (release the lease) and have the message redelivered after a delay. */
  record RetryPhase(Duration after, String reason) implements FailureDecision {}

  /**
   * Fail the cycle with the reason; {@code deadLetter} parks the work message in AGENTOS_DLQ for an
   * operator, because it failed for a reason outside the work itself (retries ran out).
   */
  record FailCycle(ErrorCode code, String reason, boolean deadLetter) implements FailureDecision {}

  /** A budget ran out: pause the cycle (or fail it, if it asked not to pause) with the reason. */
  record StopOnBudget(String reason) implements FailureDecision {}

  /**
   * The workspace is not where the cycle left it (its git branch moved): pause the cycle with the
   * reason, for a person to put it right and resume.
   */
  record PauseCycle(String reason) implements FailureDecision {}

  /** The cycle was cancelled: the cancel already wrote the state; drop the message. */
  record StopCancelled() implements FailureDecision {}

  /**
   * The claim is gone (another worker owns the phase, or the cycle moved on): write nothing and
   * leave the message alone, since the new owner's delivery of it carries the work.
   */
  record Abandon(String reason) implements FailureDecision {}
}
