package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failure policy as a table: every row is a failure (code, the stop the worker made), the
 * attempts so far, and the decision it must lead to. A row per rule, plus every code at the edges
 * of the attempt limits, so that a new {@link ErrorCode} cannot slip through undecided.
 */
class FailurePolicyTest {
  private static final WorkerSettings SETTINGS =
      new WorkerSettings(
          2,
          Duration.ofSeconds(30),
          3,
          List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)),
          Duration.ofSeconds(20),
          Duration.ofSeconds(1),
          Duration.ofMinutes(30),
          WorkerSettings.DEFAULT_STORAGE_WAIT);
  private static final int STEP_ATTEMPTS = 2;

  private static final String RETRY_STEP = "RetryStep";
  private static final String FAIL_STEP = "FailStep";
  private static final String ESCALATE = "Escalate";
  private static final String RETRY_PHASE = "RetryPhase";
  private static final String FAIL_CYCLE = "FailCycle";
  private static final String FAIL_AND_DLQ = "FailCycle+DLQ";
  private static final String BUDGET = "StopOnBudget";
  private static final String CANCELLED = "StopCancelled";
  private static final String ABANDON = "Abandon";

  static Stream<Arguments> stepTable() {
    return Stream.of(
        // code, stop, failures so far (this one counted), decision
        Arguments.of(ErrorCode.AGENT_FAILED, StopReason.NONE, 1, RETRY_STEP),
        Arguments.of(ErrorCode.AGENT_TIMEOUT, StopReason.NONE, 1, RETRY_STEP),
        Arguments.of(ErrorCode.AGENT_FAILED, StopReason.NONE, 2, FAIL_STEP),
        Arguments.of(ErrorCode.AGENT_TIMEOUT, StopReason.NONE, 3, FAIL_STEP),
        Arguments.of(ErrorCode.AGENT_UNAVAILABLE, StopReason.NONE, 1, ESCALATE),
        Arguments.of(ErrorCode.CANCELLED, StopReason.NONE, 1, ESCALATE),
        Arguments.of(ErrorCode.BUDGET_EXHAUSTED, StopReason.NONE, 1, ESCALATE),
        Arguments.of(ErrorCode.INTERNAL, StopReason.NONE, 1, ESCALATE),
        // An agent killed because the worker stopped it fails with a timeout or a failure too:
        // that is not the step's failure to retry.
        Arguments.of(ErrorCode.AGENT_FAILED, StopReason.LEASE_LOST, 1, ESCALATE),
        Arguments.of(ErrorCode.AGENT_TIMEOUT, StopReason.CANCELLED, 1, ESCALATE),
        Arguments.of(ErrorCode.AGENT_FAILED, StopReason.PHASE_TIME_EXCEEDED, 1, ESCALATE));
  }

  @ParameterizedTest(name = "step: {0} stop={1} failures={2} -> {3}")
  @MethodSource("stepTable")
  void decidesAboutAFailedStep(ErrorCode code, StopReason stop, int failures, String expected) {
    FailureDecision decision =
        FailurePolicy.inStep(new Failure(code, "the reason", stop), failures, STEP_ATTEMPTS);
    assertEquals(expected, name(decision));
  }

  static Stream<Arguments> phaseTable() {
    return Stream.of(
        // code, stop, attempt (this one counted), decision
        Arguments.of(ErrorCode.AGENT_UNAVAILABLE, StopReason.NONE, 1, RETRY_PHASE),
        Arguments.of(ErrorCode.AGENT_UNAVAILABLE, StopReason.NONE, 2, RETRY_PHASE),
        Arguments.of(ErrorCode.AGENT_UNAVAILABLE, StopReason.NONE, 3, FAIL_AND_DLQ),
        Arguments.of(ErrorCode.UNAVAILABLE, StopReason.NONE, 1, RETRY_PHASE),
        Arguments.of(ErrorCode.INTERNAL, StopReason.NONE, 2, RETRY_PHASE),
        Arguments.of(ErrorCode.INTERNAL, StopReason.NONE, 3, FAIL_AND_DLQ),
        Arguments.of(ErrorCode.AGENT_FAILED, StopReason.NONE, 1, RETRY_PHASE),
        Arguments.of(ErrorCode.MAX_DELIVER_EXHAUSTED, StopReason.NONE, 1, FAIL_AND_DLQ),
        Arguments.of(ErrorCode.PLAN_INVALID, StopReason.NONE, 1, FAIL_CYCLE),
        Arguments.of(ErrorCode.INVALID_REQUEST, StopReason.NONE, 1, FAIL_CYCLE),
        Arguments.of(ErrorCode.NOT_FOUND, StopReason.NONE, 1, FAIL_CYCLE),
        Arguments.of(ErrorCode.MAX_ITERATIONS, StopReason.NONE, 1, FAIL_CYCLE),
        Arguments.of(ErrorCode.BUDGET_EXHAUSTED, StopReason.NONE, 1, BUDGET),
        Arguments.of(ErrorCode.BUDGET_EXHAUSTED, StopReason.NONE, 3, BUDGET),
        Arguments.of(ErrorCode.CANCELLED, StopReason.NONE, 1, CANCELLED),
        Arguments.of(ErrorCode.CONFLICT, StopReason.NONE, 1, ABANDON),
        Arguments.of(ErrorCode.CONFLICT, StopReason.NONE, 3, ABANDON),
        // A store still full after the claim's wait: pause, never run the agents again.
        Arguments.of(ErrorCode.STORAGE_FULL, StopReason.NONE, 1, "PauseCycle"),
        Arguments.of(ErrorCode.STORAGE_FULL, StopReason.NONE, 3, "PauseCycle"),
        Arguments.of(ErrorCode.STORAGE_FULL, StopReason.LEASE_LOST, 1, ABANDON),
        // The worker stopped the phase: the stop decides, whatever the logic threw on its way out.
        Arguments.of(ErrorCode.CANCELLED, StopReason.LEASE_LOST, 1, ABANDON),
        Arguments.of(ErrorCode.AGENT_FAILED, StopReason.LEASE_LOST, 3, ABANDON),
        Arguments.of(ErrorCode.INTERNAL, StopReason.CANCELLED, 1, CANCELLED),
        Arguments.of(ErrorCode.CANCELLED, StopReason.PHASE_TIME_EXCEEDED, 1, RETRY_PHASE),
        Arguments.of(ErrorCode.CANCELLED, StopReason.PHASE_TIME_EXCEEDED, 3, FAIL_AND_DLQ));
  }

  @ParameterizedTest(name = "phase: {0} stop={1} attempt={2} -> {3}")
  @MethodSource("phaseTable")
  void decidesAboutAFailedPhase(ErrorCode code, StopReason stop, int attempt, String expected) {
    FailureDecision decision =
        FailurePolicy.inPhase(new Failure(code, "the reason", stop), attempt, SETTINGS);
    assertEquals(expected, name(decision));
  }

  @Test
  void everyCodeHasAPhaseDecisionAtBothEndsOfTheAttempts() {
    List<String> undecided = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      for (int attempt : new int[] {1, SETTINGS.maxAttempts()}) {
        String decision = name(FailurePolicy.inPhase(Failure.of(code, "x"), attempt, SETTINGS));
        if (decision.equals(RETRY_STEP)
            || decision.equals(FAIL_STEP)
            || decision.equals(ESCALATE)) {
          undecided.add(code + "@" + attempt + " -> " + decision);
        }
        if (attempt == SETTINGS.maxAttempts() && decision.equals(RETRY_PHASE)) {
          undecided.add(code + " is retried past the last attempt");
        }
      }
    }
    assertEquals(List.of(), undecided);
  }

  @Test
  void aRetriedPhaseWaitsTheDelayOfItsAttemptAndTheLastDelayRepeats() {
    Failure unavailable = Failure.of(ErrorCode.UNAVAILABLE, "NATS is away");
    WorkerSettings many =
        new WorkerSettings(
            1,
            Duration.ofSeconds(30),
            10,
            SETTINGS.retryDelays(),
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ofMinutes(1),
            WorkerSettings.DEFAULT_STORAGE_WAIT);
    assertEquals(Duration.ofSeconds(1), retryAfter(FailurePolicy.inPhase(unavailable, 1, many)));
    assertEquals(Duration.ofSeconds(5), retryAfter(FailurePolicy.inPhase(unavailable, 2, many)));
    assertEquals(Duration.ofSeconds(5), retryAfter(FailurePolicy.inPhase(unavailable, 7, many)));
  }

  @Test
  void aStepRetryFeedsTheFailureBackAndAFailedStepKeepsTheReason() {
    Failure failure = Failure.of(ErrorCode.AGENT_FAILED, "exit 1: tests do not compile");
    FailureDecision retry = FailurePolicy.inStep(failure, 1, STEP_ATTEMPTS);
    assertTrue(
        ((FailureDecision.RetryStep) retry).feedback().contains("exit 1: tests do not compile"));
    FailureDecision failed = FailurePolicy.inStep(failure, STEP_ATTEMPTS, STEP_ATTEMPTS);
    assertEquals("exit 1: tests do not compile", ((FailureDecision.FailStep) failed).reason());
  }

  @Test
  void aPhaseOverItsTimeIsRetriedAsATimeoutThatNamesTheLimit() {
    FailureDecision decision =
        FailurePolicy.inPhase(
            new Failure(ErrorCode.CANCELLED, "interrupted", StopReason.PHASE_TIME_EXCEEDED),
            SETTINGS.maxAttempts(),
            SETTINGS);
    FailureDecision.FailCycle fail = (FailureDecision.FailCycle) decision;
    assertEquals(ErrorCode.AGENT_TIMEOUT, fail.code());
    assertTrue(fail.reason().contains("PT30M"), fail.reason());
  }

  private static Duration retryAfter(FailureDecision decision) {
    return ((FailureDecision.RetryPhase) decision).after();
  }

  private static String name(FailureDecision decision) {
    if (decision instanceof FailureDecision.FailCycle fail) {
      return fail.deadLetter() ? FAIL_AND_DLQ : FAIL_CYCLE;
    }
    return decision.getClass().getSimpleName();
  }
}
