package dev.agentos.state;

import static dev.agentos.state.CycleFixtures.LEASE;
import static dev.agentos.state.CycleFixtures.MAX_ATTEMPTS;
import static dev.agentos.state.CycleFixtures.at;
import static dev.agentos.state.CycleFixtures.execution;
import static dev.agentos.state.CycleFixtures.express;
import static dev.agentos.state.CycleFixtures.inStatus;
import static dev.agentos.state.CycleFixtures.plan;
import static dev.agentos.state.CycleFixtures.review;
import static dev.agentos.state.CycleFixtures.workerOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TransitionsTest {
  private static final Instant NOW = at(500);
  private static final String OTHER_WORKER = "other-7";

  // ---- the whole table: every status × every trigger ------------------------------------------

  static Stream<Arguments> everyStatusAndTrigger() {
    List<Arguments> pairs = new ArrayList<>();
    for (Status status : Status.values()) {
      for (Trigger trigger : Trigger.values()) {
        pairs.add(Arguments.of(status, trigger));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyStatusAndTrigger")
  void triggerMovesFromTheStatusesItAllowsAndIsAnInvalidTransitionFromAllOthers(
      Status from, Trigger trigger) {
    CycleState state = inStatus(from);
    if (trigger == Trigger.START) {
      assertStartOnlyFromQueued(state, trigger.allows(from));
      return;
    }
    if (trigger.allowedFrom().contains(from)) {
      CycleState next = apply(trigger, state);
      Target expected = expectedTarget(trigger, state);
      assertAll(
          () -> assertEquals(expected.status(), next.status(), "status"),
          () -> assertEquals(expected.phase(), next.phase(), "phase"),
          () -> assertEquals(NOW, next.updatedAt(), "updated_at"),
          () -> assertNull(next.lease(), "a move to another status gives the lease up"),
          () -> assertEquals(0, next.attempts(), "attempts restart with the new status"));
    } else {
      AgentOsException e = assertThrows(AgentOsException.class, () -> apply(trigger, state));
      assertEquals(ErrorCode.INVALID_TRANSITION, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(from.name()), e.getMessage());
    }
  }

  /**
   * START has no method of its own: {@code claim} performs it, and drops a message it cannot act on
   * (Stale) instead of throwing. From any status but QUEUED a claim never starts the cycle.
   */
  private static void assertStartOnlyFromQueued(CycleState state, boolean allowed) {
    ClaimDecision decision =
        Transitions.claim(
            state, state.iteration(), Phase.PLAN, workerOf(Phase.PLAN), LEASE, MAX_ATTEMPTS, NOW);
    if (allowed) {
      CycleState started = assertInstanceOf(ClaimDecision.Claimed.class, decision).state();
      assertEquals(Status.PLANNING, started.status());
      assertEquals(Phase.PLAN, started.phase());
      return;
    }
    if (decision instanceof ClaimDecision.Claimed claimed) {
      assertEquals(state.status(), claimed.state().status(), "a claim moved a non-QUEUED cycle");
    } else {
      assertInstanceOf(ClaimDecision.Stale.class, decision);
    }
  }

  private static CycleState apply(Trigger trigger, CycleState state) {
    return switch (trigger) {
      case START -> throw new IllegalArgumentException("START is applied by claim");
      case PLAN_DONE -> Transitions.planned(state, plan(), NOW);
      case EXECUTE_DONE -> Transitions.executed(state, execution(at(400)), NOW);
      case EXPRESS_DONE -> Transitions.expressed(state, express(), NOW);
      case REVIEW_PASS -> Transitions.reviewed(state, review(Verdict.PASS), NOW);
      case REVIEW_REVISE -> Transitions.reviewed(state, review(Verdict.REVISE), NOW);
      case REVIEW_FAIL -> Transitions.reviewed(state, review(Verdict.FAIL), NOW);
      case APPROVE -> Transitions.approve(state, NOW);
      case REJECT -> Transitions.reject(state, "split step 2 into two", NOW);
      case ASK -> Transitions.ask(state, "1", "Which currency?", null, NOW);
      case ANSWER -> Transitions.answer(state, "EUR everywhere", NOW);
      case PAUSE -> Transitions.pause(state, "cost budget spent", NOW);
      case RESUME -> Transitions.resume(state, null, NOW);
      case RETRY -> Transitions.retry(state, null, NOW);
      case CANCEL -> Transitions.cancel(state, NOW);
      case FAIL -> Transitions.fail(state, ErrorCode.MAX_DELIVER_EXHAUSTED, "delivered 5x", NOW);
    };
  }

  private record Target(Status status, Phase phase) {}

  private static Target expectedTarget(Trigger trigger, CycleState from) {
    return switch (trigger) {
      case START, REVIEW_REVISE, REJECT -> new Target(Status.PLANNING, Phase.PLAN);
      case PLAN_DONE, APPROVE, ANSWER -> new Target(Status.EXECUTING, Phase.EXECUTE);
      case ASK -> new Target(Status.NEEDS_INPUT, Phase.EXECUTE);
      case EXECUTE_DONE -> new Target(Status.EXPRESSING, Phase.EXPRESS);
      case EXPRESS_DONE -> new Target(Status.REVIEWING, Phase.REVIEW);
      case REVIEW_PASS -> new Target(Status.COMPLETED, Phase.REVIEW);
      case REVIEW_FAIL -> new Target(Status.FAILED, Phase.REVIEW);
      case PAUSE -> new Target(Status.PAUSED, from.phase());
      case RESUME -> new Target(from.phase().runningStatus(), from.phase());
      case RETRY ->
          from.currentIteration().plan() == null
              ? new Target(Status.PLANNING, Phase.PLAN)
              : new Target(Status.EXECUTING, Phase.EXECUTE);
      case CANCEL -> new Target(Status.CANCELLED, from.phase());
      case FAIL -> new Target(Status.FAILED, from.phase());
    };
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  void fixtureReachesEveryStatusThroughTransitions(Status status) {
    assertEquals(status, inStatus(status).status());
  }

  @Test
  void onlyFailedCyclesLeaveAFinalStatusAndOnlyByResumeOrRetry() {
    for (Trigger trigger : Trigger.values()) {
      assertFalse(trigger.allows(Status.COMPLETED), trigger + " leaves COMPLETED");
      assertFalse(trigger.allows(Status.CANCELLED), trigger + " leaves CANCELLED");
      assertEquals(
          trigger == Trigger.RESUME || trigger == Trigger.RETRY,
          trigger.allows(Status.FAILED),
          trigger + " from FAILED");
    }
    assertEquals(
        EnumSet.complementOf(EnumSet.of(Status.COMPLETED, Status.FAILED, Status.CANCELLED)),
        Trigger.CANCEL.allowedFrom());
  }

  @Test
  void allowedFromIsACopyThatCallersCannotChange() {
    Trigger.CANCEL.allowedFrom().add(Status.COMPLETED);
    assertFalse(Trigger.CANCEL.allows(Status.COMPLETED));
  }

  // ---- the PEER phases ------------------------------------------------------------------------

  @Nested
  class Phases {
    @Test
    void planDoneRecordsThePlanAndMovesToExecute() {
      CycleState next = Transitions.planned(inStatus(Status.PLANNING), plan(), NOW);
      assertEquals(Status.EXECUTING, next.status());
      assertEquals(plan(), next.currentIteration().plan());
      assertEquals(1, next.iteration());
    }

    @Test
    void executeDoneRecordsStepRecordsWithArtifactsAndWorkspaceRef() {
      Execution execution = execution(at(400));
      CycleState next = Transitions.executed(inStatus(Status.EXECUTING), execution, NOW);
      StepRecord step = next.currentIteration().execution().step("2").orElseThrow();
      assertEquals(StepStatus.COMPLETED, step.status());
      assertNotNull(step.artifact());
      assertEquals("3f2c9d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d", step.workspaceRef());
      assertEquals(Status.EXPRESSING, next.status());
    }

    @Test
    void reviseStartsTheNextIterationWithTheReviewFeedbackAsItsFeedbackIn() {
      Review revise = review(Verdict.REVISE);
      CycleState next = Transitions.reviewed(inStatus(Status.REVIEWING), revise, NOW);

      assertEquals(Status.PLANNING, next.status());
      assertEquals(Phase.PLAN, next.phase());
      assertEquals(2, next.iteration());
      assertEquals(2, next.iterations().size());
      assertEquals(revise, next.iterations().get(0).review(), "the revised pass keeps its review");
      Iteration second = next.currentIteration();
      assertEquals(2, second.number());
      assertEquals(revise.feedback(), second.feedbackIn());
      assertNull(second.plan());
      assertNull(second.execution());
      assertNull(next.error());
    }

    @Test
    void reviseAtMaxIterationsFailsWithMaxIterations() {
      CycleState reviewing =
          inStatus(Status.REVIEWING).toBuilder()
              .options(CycleFixtures.options(1, false, false))
              .build();
      CycleState next = Transitions.reviewed(reviewing, review(Verdict.REVISE), NOW);

      assertEquals(Status.FAILED, next.status());
      assertEquals(ErrorCode.MAX_ITERATIONS, next.error().code());
      assertEquals(Phase.REVIEW, next.error().phase());
      assertEquals(1, next.iteration());
      assertEquals(1, next.iterations().size());
      assertEquals(Verdict.REVISE, next.currentIteration().review().verdict());
    }

    @Test
    void failVerdictFailsTheCycleWithReviewFailed() {
      CycleState next = Transitions.reviewed(inStatus(Status.REVIEWING), review(Verdict.FAIL), NOW);
      assertEquals(Status.FAILED, next.status());
      assertEquals(ErrorCode.REVIEW_FAILED, next.error().code());
      assertEquals(Phase.REVIEW, next.error().phase());
      assertTrue(next.error().message().contains("31"), next.error().message());
      assertEquals(Verdict.FAIL, next.currentIteration().review().verdict());
    }

    @Test
    void theRecapReviewRewroteReplacesExpresssStoredCopyAndNothingElseOfItsResult() {
      CycleState reviewing = inStatus(Status.REVIEWING);
      ExpressResult expressed = reviewing.currentIteration().express();
      ArtifactRef rewritten = new ArtifactRef(expressed.recap().artifact(), 18_200, "c".repeat(64));

      CycleState next = Transitions.reviewed(reviewing, review(Verdict.REVISE), rewritten, NOW);
      ExpressResult kept = next.iterations().get(0).express();
      assertEquals(rewritten, kept.recap());
      assertEquals(expressed.summary(), kept.summary());
      assertEquals(expressed.recapPath(), kept.recapPath());
      assertEquals(
          expressed,
          Transitions.reviewed(reviewing, review(Verdict.REVISE), null, NOW)
              .iterations()
              .get(0)
              .express(),
          "a review that rewrote nothing leaves Express's copy");
    }

    @Test
    void passCompletesTheCycle() {
      CycleState next = Transitions.reviewed(inStatus(Status.REVIEWING), review(Verdict.PASS), NOW);
      assertEquals(Status.COMPLETED, next.status());
      assertEquals(Band.HIGH, next.currentIteration().review().band());
      assertNull(next.error());
    }
  }

  // ---- approval gates -------------------------------------------------------------------------

  @Nested
  class Gates {
    @Test
    void afterPlanGateWaitsForApprovalWithThePlanRecorded() {
      CycleState waiting = CycleFixtures.awaitingPlanApproval();
      assertEquals(Status.AWAITING_APPROVAL, waiting.status());
      assertEquals(new PendingApproval(Gate.AFTER_PLAN, at(10)), waiting.approval());
      assertEquals(Phase.PLAN, waiting.phase());
      assertEquals(plan(), waiting.currentIteration().plan());
      assertNull(waiting.lease());
    }

    @Test
    void beforeCompleteGateWaitsForApprovalAfterAPass() {
      CycleState waiting = CycleFixtures.awaitingCompletionApproval();
      assertEquals(Status.AWAITING_APPROVAL, waiting.status());
      assertEquals(Gate.BEFORE_COMPLETE, waiting.approval().gate());
      assertEquals(Phase.REVIEW, waiting.phase());
      assertEquals(Verdict.PASS, waiting.currentIteration().review().verdict());
    }

    @Test
    void approvingThePlanMovesToExecute() {
      CycleState next = Transitions.approve(CycleFixtures.awaitingPlanApproval(), NOW);
      assertEquals(Status.EXECUTING, next.status());
      assertEquals(Phase.EXECUTE, next.phase());
      assertNull(next.approval());
    }

    @Test
    void approvingCompletionCompletesTheCycle() {
      CycleState next = Transitions.approve(CycleFixtures.awaitingCompletionApproval(), NOW);
      assertEquals(Status.COMPLETED, next.status());
      assertNull(next.approval());
    }

    @Test
    void rejectingPlansTheNextIterationWithTheCommentAsFeedback() {
      CycleState next =
          Transitions.reject(CycleFixtures.awaitingPlanApproval(), "split step 2 into two", NOW);
      assertEquals(Status.PLANNING, next.status());
      assertEquals(2, next.iteration());
      assertNull(next.approval());
      List<FeedbackItem> feedback = next.currentIteration().feedbackIn();
      assertEquals(1, feedback.size());
      assertEquals("split step 2 into two", feedback.get(0).what());
      assertTrue(feedback.get(0).where().contains("AFTER_PLAN"), feedback.get(0).where());
    }

    @Test
    void rejectingAtMaxIterationsFailsWithMaxIterations() {
      CycleState waiting =
          CycleFixtures.awaitingPlanApproval().toBuilder()
              .options(CycleFixtures.options(1, true, false))
              .build();
      CycleState next = Transitions.reject(waiting, "no", NOW);
      assertEquals(Status.FAILED, next.status());
      assertEquals(ErrorCode.MAX_ITERATIONS, next.error().code());
    }

    @Test
    void approvingWithoutAPendingGateIsAnInvalidTransition() {
      CycleState broken = CycleFixtures.awaitingPlanApproval().toBuilder().approval(null).build();
      AgentOsException e =
          assertThrows(AgentOsException.class, () -> Transitions.approve(broken, NOW));
      assertEquals(ErrorCode.INVALID_TRANSITION, e.code());
    }
  }

  // ---- an agent asks a person ----------------------------------------------------------------

  @Nested
  class Questions {
    @Test
    void askWaitsInNeedsInputWithTheQuestionAndTheStepLeftRunning() {
      CycleState waiting = CycleFixtures.needsInput();
      assertEquals(Status.NEEDS_INPUT, waiting.status());
      assertEquals(Phase.EXECUTE, waiting.phase());
      assertEquals(
          new PendingQuestion(
              "1",
              "Which currency do prices use?",
              "the spec names none; the code mixes EUR and USD",
              at(40)),
          waiting.question());
      assertNull(waiting.lease(), "nobody holds a cycle that waits for a person");
      assertTrue(waiting.status().runningPhase().isEmpty(), "no worker runs it, no reconciler");
      StepRecord step = waiting.currentIteration().executionOrEmpty().step("1").orElseThrow();
      assertEquals(StepStatus.RUNNING, step.status(), "the step is not done");
      assertEquals("3f0c-session", step.agentSession().id());
    }

    @Test
    void answerGoesBackToExecuteWithTheAnswerOnTheStepAndANewHandOff() {
      CycleState waiting = CycleFixtures.needsInput();
      CycleState next = Transitions.answer(waiting, "EUR everywhere", NOW);
      assertEquals(Status.EXECUTING, next.status());
      assertEquals(Phase.EXECUTE, next.phase());
      assertNull(next.question());
      assertEquals(waiting.requeues() + 1, next.requeues(), "a hand-off id not used before");
      assertEquals(
          waiting.usageOrNone(), next.usageOrNone(), "waiting spends nothing, wall time included");
      StepRecord step = next.currentIteration().executionOrEmpty().step("1").orElseThrow();
      assertEquals(StepStatus.RUNNING, step.status());
      assertEquals("3f0c-session", step.agentSession().id(), "the same session goes on");
      assertEquals(
          new AnsweredQuestion(
              "Which currency do prices use?",
              "the spec names none; the code mixes EUR and USD",
              "EUR everywhere",
              at(40),
              NOW),
          step.lastAnswer().orElseThrow());
    }

    @Test
    void aStepKeepsOnlyItsNewestAnswers() {
      CycleState state = CycleFixtures.needsInput();
      for (int i = 1; i <= StepRecord.MAX_ANSWERS + 2; i++) {
        state = Transitions.answer(state, "answer " + i, at(600 + i));
        state = Transitions.ask(state, "1", "question " + (i + 1), null, at(700 + i));
      }
      List<AnsweredQuestion> kept =
          state.currentIteration().executionOrEmpty().step("1").orElseThrow().answers();
      assertEquals(StepRecord.MAX_ANSWERS, kept.size());
      assertEquals("answer " + (StepRecord.MAX_ANSWERS + 2), kept.get(kept.size() - 1).answer());
    }

    @Test
    void anEmptyOrOversizedAnswerIsRefused() {
      CycleState waiting = CycleFixtures.needsInput();
      for (String bad : new String[] {null, "", "   ", "x".repeat(PendingQuestion.MAX_CHARS + 1)}) {
        AgentOsException e =
            assertThrows(AgentOsException.class, () -> Transitions.answer(waiting, bad, NOW));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code(), e.getMessage());
      }
    }

    @Test
    void answeringACycleThatWaitsForNoAnswerIsAnInvalidTransition() {
      for (Status status : Status.values()) {
        if (status == Status.NEEDS_INPUT) {
          continue;
        }
        AgentOsException e =
            assertThrows(
                AgentOsException.class,
                () -> Transitions.answer(inStatus(status), "EUR", NOW),
                status.name());
        assertEquals(ErrorCode.INVALID_TRANSITION, e.code());
        assertTrue(e.getMessage().contains("not waiting for an answer"), e.getMessage());
      }
    }

    @Test
    void aLongQuestionIsCutAndSaysSo() {
      CycleState waiting =
          Transitions.ask(inStatus(Status.EXECUTING), "1", "q".repeat(10_000), null, NOW);
      assertEquals(PendingQuestion.MAX_CHARS, waiting.question().text().length());
      assertTrue(waiting.question().text().endsWith("characters]"));
    }

    @Test
    void cancellingAWaitingCycleClosesTheStepAndDropsTheQuestion() {
      CycleState next = Transitions.cancel(CycleFixtures.needsInput(), NOW);
      assertEquals(Status.CANCELLED, next.status());
      assertNull(next.question());
      assertEquals(
          StepStatus.FAILED,
          next.currentIteration().executionOrEmpty().step("1").orElseThrow().status());
    }
  }

  // ---- people and operators -------------------------------------------------------------------

  @Nested
  class Operators {
    @Test
    void pauseRecordsTheReasonAndKeepsThePhase() {
      CycleState next = Transitions.pause(inStatus(Status.EXPRESSING), "wall time spent", NOW);
      assertEquals(Status.PAUSED, next.status());
      assertEquals(Phase.EXPRESS, next.phase());
      assertEquals("wall time spent", next.pauseReason());
      assertNull(next.lease());
    }

    @Test
    void resumeReturnsToThePhasesRunningStatusWithReasonClearedAndARequeue() {
      CycleState paused = Transitions.pause(inStatus(Status.EXPRESSING), "wall time spent", NOW);
      Budget raised = new Budget(400_000L, 10.0, null);
      CycleState next = Transitions.resume(paused, raised, at(600));
      assertEquals(Status.EXPRESSING, next.status());
      assertEquals(Phase.EXPRESS, next.phase());
      assertNull(next.pauseReason());
      assertEquals(paused.requeues() + 1, next.requeues());
      assertEquals(raised, next.options().budget());
      assertEquals(paused.options().verify(), next.options().verify(), "other options kept");
    }

    @Test
    void resumeOfAFailedCycleClearsTheError() {
      CycleState failed = inStatus(Status.FAILED);
      assertNotNull(failed.error());
      CycleState next = Transitions.resume(failed, null, NOW);
      assertEquals(Status.EXECUTING, next.status());
      assertNull(next.error());
      assertEquals(failed.requeues() + 1, next.requeues());
      assertEquals(failed.options(), next.options(), "no budget given keeps the old one");
    }

    @Test
    void failingOrCancellingLeavesNoStepRunning() {
      CycleState executing = inStatus(Status.EXECUTING);
      Execution progress =
          Execution.empty()
              .with(CycleFixtures.completedStep("1", at(20)))
              .with(StepRecord.started("2", 1, at(30)));
      CycleState withRunning =
          executing.withCurrentIteration(executing.currentIteration().withExecution(progress));

      StepRecord afterFail =
          Transitions.fail(withRunning, ErrorCode.MAX_DELIVER_EXHAUSTED, "worker died", at(40))
              .currentIteration()
              .execution()
              .step("2")
              .orElseThrow();
      StepRecord afterCancel =
          Transitions.cancel(withRunning, at(40))
              .currentIteration()
              .execution()
              .step("2")
              .orElseThrow();

      assertEquals(StepStatus.FAILED, afterFail.status());
      assertEquals(at(40), afterFail.finishedAt());
      assertTrue(afterFail.summary().contains("MAX_DELIVER_EXHAUSTED"), afterFail.summary());
      assertEquals(StepStatus.FAILED, afterCancel.status());
      assertTrue(afterCancel.summary().contains("cancelled"), afterCancel.summary());
    }

    @Test
    void retryKeepsCompletedStepsAndDropsFailedAndUnfinishedOnes() {
      CycleState executing = inStatus(Status.EXECUTING);
      Execution progress =
          Execution.empty()
              .with(CycleFixtures.completedStep("1", at(20)))
              .with(CycleFixtures.failedStep("2", at(70)))
              .with(StepRecord.started("3", 1, at(80)));
      CycleState failed =
          Transitions.fail(
              executing.withCurrentIteration(executing.currentIteration().withExecution(progress)),
              ErrorCode.AGENT_FAILED,
              "step 2 failed",
              at(90));

      CycleState next = Transitions.retry(failed, null, NOW);

      assertEquals(Status.EXECUTING, next.status());
      assertEquals(Phase.EXECUTE, next.phase());
      List<StepRecord> kept = next.currentIteration().execution().steps();
      assertEquals(List.of(CycleFixtures.completedStep("1", at(20))), kept);
      assertEquals(plan(), next.currentIteration().plan());
      assertNull(next.error());
      assertEquals(failed.requeues() + 1, next.requeues());
      assertEquals(1, next.iteration());
    }

    @Test
    void retryAfterALaterPhaseClearsItsExpressAndReview() {
      CycleState failed =
          Transitions.reviewed(inStatus(Status.REVIEWING), review(Verdict.FAIL), at(150));
      CycleState next = Transitions.retry(failed, null, NOW);
      assertEquals(Status.EXECUTING, next.status());
      assertNull(next.currentIteration().express());
      assertNull(next.currentIteration().review());
      assertEquals(2, next.currentIteration().execution().steps().size());
    }

    @Test
    void retryBeforeAnyPlanPlansAgain() {
      CycleState failed =
          Transitions.fail(inStatus(Status.PLANNING), ErrorCode.AGENT_TIMEOUT, "slow", at(30));
      CycleState next = Transitions.retry(failed, null, NOW);
      assertEquals(Status.PLANNING, next.status());
      assertEquals(Phase.PLAN, next.phase());
      assertNull(next.error());
    }

    @Test
    void cancelEndsTheCycleWhereItStands() {
      CycleState next = Transitions.cancel(inStatus(Status.REVIEWING), NOW);
      assertEquals(Status.CANCELLED, next.status());
      assertEquals(Phase.REVIEW, next.phase());
      assertNull(next.lease());
    }

    @Test
    void failRecordsTheErrorWithThePhase() {
      CycleState next =
          Transitions.fail(inStatus(Status.EXECUTING), ErrorCode.BUDGET_EXHAUSTED, "spent", NOW);
      assertEquals(Status.FAILED, next.status());
      assertEquals(
          new CycleError(Phase.EXECUTE, ErrorCode.BUDGET_EXHAUSTED, "spent"), next.error());
    }
  }

  // ---- claims and leases ----------------------------------------------------------------------

  @Nested
  class Claims {
    private ClaimDecision claim(CycleState state, Phase phase, String worker, Instant now) {
      return Transitions.claim(state, state.iteration(), phase, worker, LEASE, MAX_ATTEMPTS, now);
    }

    @Test
    void claimOfAQueuedCycleStartsPlanningWithALeaseAndTheFirstAttempt() {
      ClaimDecision decision = claim(CycleFixtures.queued(), Phase.PLAN, "planner-9", NOW);
      CycleState claimed = assertInstanceOf(ClaimDecision.Claimed.class, decision).state();
      assertEquals(Status.PLANNING, claimed.status());
      assertEquals(new Lease("planner-9", NOW.plus(LEASE)), claimed.lease());
      assertEquals(1, claimed.attempts());
      assertEquals(NOW, claimed.updatedAt());
    }

    @ParameterizedTest
    @EnumSource(names = {"COMPLETED", "FAILED", "CANCELLED"})
    void claimIsStaleForAFinalCycle(Status status) {
      CycleState state = inStatus(status);
      ClaimDecision decision = claim(state, state.phase(), workerOf(state.phase()), NOW);
      String reason = assertInstanceOf(ClaimDecision.Stale.class, decision).reason();
      assertTrue(reason.contains(status.name()), reason);
    }

    @ParameterizedTest
    @EnumSource(names = {"PAUSED", "AWAITING_APPROVAL"})
    void claimIsStaleWhileNoWorkerRunsInTheStatus(Status status) {
      CycleState state = inStatus(status);
      ClaimDecision decision = claim(state, state.phase(), workerOf(state.phase()), NOW);
      assertInstanceOf(ClaimDecision.Stale.class, decision);
    }

    @Test
    void claimIsStaleForAnotherPhase() {
      ClaimDecision decision =
          claim(inStatus(Status.EXECUTING), Phase.PLAN, workerOf(Phase.PLAN), NOW);
      assertInstanceOf(ClaimDecision.Stale.class, decision);
    }

    @Test
    void claimIsStaleForAnotherIteration() {
      CycleState executing = inStatus(Status.EXECUTING);
      ClaimDecision decision =
          Transitions.claim(executing, 2, Phase.EXECUTE, "executor-2", LEASE, MAX_ATTEMPTS, NOW);
      assertInstanceOf(ClaimDecision.Stale.class, decision);
    }

    @Test
    void claimIsStaleForAMissingCycle() {
      ClaimDecision decision =
          Transitions.claim(null, 1, Phase.PLAN, "planner-1", LEASE, MAX_ATTEMPTS, NOW);
      assertInstanceOf(ClaimDecision.Stale.class, decision);
    }

    @Test
    void claimIsBusyWhileAnotherWorkersLeaseIsLive() {
      CycleState executing = inStatus(Status.EXECUTING);
      Lease held = executing.lease();
      ClaimDecision decision =
          claim(executing, Phase.EXECUTE, OTHER_WORKER, held.until().minusSeconds(1));
      ClaimDecision.Busy busy = assertInstanceOf(ClaimDecision.Busy.class, decision);
      assertEquals(held.owner(), busy.owner());
      assertEquals(held.until(), busy.until());
    }

    @Test
    void claimTakesOverAnExpiredLease() {
      CycleState executing = inStatus(Status.EXECUTING);
      Instant later = executing.lease().until();
      ClaimDecision decision = claim(executing, Phase.EXECUTE, OTHER_WORKER, later);
      CycleState taken = assertInstanceOf(ClaimDecision.Claimed.class, decision).state();
      assertEquals(new Lease(OTHER_WORKER, later.plus(LEASE)), taken.lease());
      assertEquals(executing.attempts() + 1, taken.attempts());
      assertEquals(Status.EXECUTING, taken.status());
    }

    @Test
    void claimByTheLeaseHolderItselfSucceedsWhileTheLeaseIsLive() {
      CycleState executing = inStatus(Status.EXECUTING);
      ClaimDecision decision = claim(executing, Phase.EXECUTE, executing.lease().owner(), NOW);
      CycleState again = assertInstanceOf(ClaimDecision.Claimed.class, decision).state();
      assertEquals(2, again.attempts());
    }

    @Test
    void claimIsExhaustedAtMaxAttempts() {
      CycleState executing = inStatus(Status.EXECUTING).toBuilder().attempts(MAX_ATTEMPTS).build();
      ClaimDecision decision =
          claim(executing, Phase.EXECUTE, OTHER_WORKER, executing.lease().until());
      assertEquals(
          MAX_ATTEMPTS, assertInstanceOf(ClaimDecision.Exhausted.class, decision).attempts());
    }

    @Test
    void requireOwnerAcceptsTheLeaseHolder() {
      CycleState executing = inStatus(Status.EXECUTING);
      Transitions.requireOwner(executing, Phase.EXECUTE, workerOf(Phase.EXECUTE));
      assertEquals(workerOf(Phase.EXECUTE), executing.lease().owner());
    }

    @Test
    void requireOwnerReportsACancelledCycleAsCancelled() {
      AgentOsException e =
          assertThrows(
              AgentOsException.class,
              () ->
                  Transitions.requireOwner(
                      inStatus(Status.CANCELLED), Phase.EXECUTE, workerOf(Phase.EXECUTE)));
      assertEquals(ErrorCode.CANCELLED, e.code());
    }

    @Test
    void requireOwnerIsAConflictForAWorkerWhoseLeaseWasTakenOver() {
      CycleState executing = inStatus(Status.EXECUTING);
      CycleState taken =
          assertInstanceOf(
                  ClaimDecision.Claimed.class,
                  claim(executing, Phase.EXECUTE, OTHER_WORKER, executing.lease().until()))
              .state();
      AgentOsException e =
          assertThrows(
              AgentOsException.class,
              () -> Transitions.requireOwner(taken, Phase.EXECUTE, workerOf(Phase.EXECUTE)));
      assertEquals(ErrorCode.CONFLICT, e.code());
      assertTrue(e.getMessage().contains(OTHER_WORKER), e.getMessage());
    }

    @Test
    void requireOwnerIsAConflictOnceTheCycleMovedToAnotherPhase() {
      AgentOsException e =
          assertThrows(
              AgentOsException.class,
              () ->
                  Transitions.requireOwner(
                      inStatus(Status.EXPRESSING), Phase.EXECUTE, workerOf(Phase.EXECUTE)));
      assertEquals(ErrorCode.CONFLICT, e.code());
    }

    @Test
    void renewLeaseExtendsTheHoldersLease() {
      CycleState executing = inStatus(Status.EXECUTING);
      CycleState renewed =
          Transitions.renewLease(executing, Phase.EXECUTE, workerOf(Phase.EXECUTE), LEASE, NOW);
      assertEquals(new Lease(workerOf(Phase.EXECUTE), NOW.plus(LEASE)), renewed.lease());
      assertEquals(NOW, renewed.updatedAt());
      assertEquals(executing.attempts(), renewed.attempts());
    }

    @Test
    void renewLeaseOfACancelledCycleFailsWithCancelled() {
      AgentOsException e =
          assertThrows(
              AgentOsException.class,
              () ->
                  Transitions.renewLease(
                      inStatus(Status.CANCELLED),
                      Phase.EXECUTE,
                      workerOf(Phase.EXECUTE),
                      LEASE,
                      NOW));
      assertEquals(ErrorCode.CANCELLED, e.code());
    }

    @Test
    void renewLeaseOfALostLeaseIsAConflict() {
      CycleState requeued = Transitions.requeue(inStatus(Status.EXECUTING), NOW);
      AgentOsException e =
          assertThrows(
              AgentOsException.class,
              () ->
                  Transitions.renewLease(
                      requeued, Phase.EXECUTE, workerOf(Phase.EXECUTE), LEASE, NOW));
      assertEquals(ErrorCode.CONFLICT, e.code());
    }

    @Test
    void requeueDropsTheLeaseAndCountsTheRequeue() {
      CycleState executing = inStatus(Status.EXECUTING);
      CycleState requeued = Transitions.requeue(executing, NOW);
      assertNull(requeued.lease());
      assertEquals(executing.requeues() + 1, requeued.requeues());
      assertEquals(Status.EXECUTING, requeued.status());
    }

    @Test
    void requeueOfACycleNoWorkerRunsIsAnInvalidTransition() {
      AgentOsException e =
          assertThrows(
              AgentOsException.class, () -> Transitions.requeue(inStatus(Status.PAUSED), NOW));
      assertEquals(ErrorCode.INVALID_TRANSITION, e.code());
    }

    @Test
    void releaseLeaseFreesOnlyTheHoldersOwnLease() {
      CycleState executing = inStatus(Status.EXECUTING);
      assertSame(executing, Transitions.releaseLease(executing, OTHER_WORKER, NOW));
      CycleState released = Transitions.releaseLease(executing, workerOf(Phase.EXECUTE), NOW);
      assertNull(released.lease());
      assertEquals(Status.EXECUTING, released.status());
    }
  }
}
