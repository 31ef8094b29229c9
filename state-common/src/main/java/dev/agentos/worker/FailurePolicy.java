package dev.agentos.worker;

import dev.agentos.error.ErrorCode;

/**
 * Decides what a failure leads to, as a pure function of the failure, the attempts so far and the
 * settings: one table, tested as one (FailurePolicyTest). Two levels ask it:
 *
 * <ul>
 *   <li>a step: an agent that ran and did not get the step done (AGENT_FAILED, AGENT_TIMEOUT) is
 *       asked again with the failure fed back, up to the step's attempts, and then the step is
 *       recorded FAILED for Review; anything else is the phase's to settle;
 *   <li>a phase: a retryable failure gives the phase back for a later delivery until the phase's
 *       attempts (MaxDeliver) are spent, then fails the cycle and parks the message in the DLQ; a
 *       failure of the work itself fails the cycle; a cancel, a lost lease and a spent budget are
 *       not failures of the work and are settled as what they are; a full store (STORAGE_FULL, once
 *       the claim's wait for room ran out) pauses the cycle.
 * </ul>
 */
public final class FailurePolicy {
  private FailurePolicy() {}

  /**
   * A step's agent call failed for the {@code failures}-th time (counting this one) of the {@code
   * stepAttempts} it may take.
   */
  public static FailureDecision inStep(Failure failure, int failures, int stepAttempts) {
    boolean agentDidNotGetItDone =
        failure.code() == ErrorCode.AGENT_FAILED || failure.code() == ErrorCode.AGENT_TIMEOUT;
    if (failure.stop() != StopReason.NONE || !agentDidNotGetItDone) {
      return new FailureDecision.Escalate();
    }
    if (failures < stepAttempts) {
      return new FailureDecision.RetryStep(
          "The previous attempt failed with:\n"
              + failure.message()
              + "\nFix the cause before you continue.");
    }
    return new FailureDecision.FailStep(failure.message());
  }

  /** The phase failed in its {@code attempt}-th start (counting this one). */
  public static FailureDecision inPhase(Failure failure, int attempt, WorkerSettings settings) {
    switch (failure.stop()) {
      case LEASE_LOST:
        return new FailureDecision.Abandon("the lease was lost: " + failure.message());
      case CANCELLED:
        return new FailureDecision.StopCancelled();
      case PHASE_TIME_EXCEEDED:
        String reason = "the phase ran longer than " + settings.maxPhaseTime() + " and was stopped";
        return retryOrFail(
            new Failure(ErrorCode.AGENT_TIMEOUT, reason, StopReason.NONE), attempt, settings);
      case NONE:
        break;
    }
    ErrorCode code = failure.code();
    if (code == ErrorCode.CANCELLED) {
      return new FailureDecision.StopCancelled();
    }
    if (code == ErrorCode.CONFLICT) {
      return new FailureDecision.Abandon(failure.message());
    }
    if (code == ErrorCode.WORKSPACE_MOVED) {
      return new FailureDecision.PauseCycle(failure.message());
    }
    if (code == ErrorCode.STORAGE_FULL) {
      // Retrying the phase would run its agents again into the same full store: the cycle waits,
      // paused, for room, and a resume goes on from its last checkpoint.
      return new FailureDecision.PauseCycle(ErrorCode.STORAGE_FULL + ": " + failure.message());
    }
    if (code == ErrorCode.BUDGET_EXHAUSTED) {
      return new FailureDecision.StopOnBudget(failure.message());
    }
    return retryOrFail(failure, attempt, settings);
  }

  private static FailureDecision retryOrFail(
      Failure failure, int attempt, WorkerSettings settings) {
    ErrorCode code = failure.code();
    if (code.retryable() && attempt < settings.maxAttempts()) {
      return new FailureDecision.RetryPhase(settings.retryDelay(attempt), failure.message());
    }
    boolean outsideTheWork = code.retryable() || code == ErrorCode.MAX_DELIVER_EXHAUSTED;
    return new FailureDecision.FailCycle(code, failure.message(), outsideTheWork);
  }
}
