package dev.agentos.state;

import static dev.agentos.state.CycleFixtures.LEASE;
import static dev.agentos.state.CycleFixtures.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParallelStepsTest {
  private static final String W1 = "executor-host-11/1";
  private static final String W2 = "executor-host-22/1";
  private static final int ATTEMPTS = 3;

  private static PlanStep step(String id, String... dependsOn) {
    return PlanStep.of(id, "step " + id, "", id).withDependsOn(List.of(dependsOn));
  }

  private static final Workspace GIT =
      new Workspace(null, new GitRef("https://git.example/shop.git", "main"));

  /**
   * A cycle of a git workspace in EXECUTE whose plan has {@code steps}, with no phase lease (the
   * steps hold them).
   */
  private static CycleState executing(PlanStep... steps) {
    CycleState planned =
        Transitions.planned(
            CycleFixtures.planning().toBuilder().workspace(GIT).build(),
            Plan.of("tasks.md", List.of(steps), List.of()),
            at(10));
    return planned.toBuilder().lease(null).build();
  }

  private static CycleState twoChains() {
    return executing(
        step("A"), step("B", "A"), step("C", "B"), step("D"), step("E", "D"), step("F", "E"));
  }

  private static CycleState claimed(CycleState state, String stepId, String worker, Instant now) {
    ClaimDecision decision = ParallelSteps.claim(state, 1, stepId, worker, LEASE, ATTEMPTS, 4, now);
    return assertInstanceOf(ClaimDecision.Claimed.class, decision).state();
  }

  private static CycleState completed(CycleState state, String stepId, String worker, Instant now) {
    StepRecord running = ParallelSteps.requireOwner(state, 1, stepId, worker);
    return ParallelSteps.ended(
        state,
        1,
        running.finished(StepStatus.COMPLETED, now, "done", null, "sha-" + stepId),
        worker,
        now);
  }

  private static List<String> ids(List<PlanStep> steps) {
    return steps.stream().map(PlanStep::id).toList();
  }

  private static StepRecord record(CycleState state, String stepId) {
    return state.currentIteration().executionOrEmpty().step(stepId).orElseThrow();
  }

  @Test
  void theWorkerThatEndsAChainsStepMayGoOnWithTheNextLinkOnlyOnceThatWaitsForItAlone() {
    CycleState started = claimed(claimed(twoChains(), "A", W1, at(11)), "D", W2, at(11));
    CycleState aDone = completed(started, "A", W1, at(12));

    assertEquals(
        Optional.of("B"),
        ParallelSteps.continuation(aDone, "A", 4, at(12)).map(PlanStep::id),
        "B waits for A alone: A's worker goes on with it");
    assertEquals(
        Optional.empty(),
        ParallelSteps.continuation(aDone, "D", 4, at(12)),
        "D has not ended: nothing waits for it alone yet");
    CycleState bTaken = claimed(aDone, "B", W2, at(12));
    assertEquals(
        Optional.empty(),
        ParallelSteps.continuation(bTaken, "A", 4, at(12)),
        "a step another worker took is not taken again");
    assertEquals(
        Optional.empty(),
        ParallelSteps.continuation(aDone, "A", 1, at(12)),
        "max_parallel leaves no room: D still runs");

    CycleState join = executing(step("A"), step("B"), step("C", "A", "B"));
    CycleState joinA = completed(claimed(join, "A", W1, at(11)), "A", W1, at(12));
    CycleState joinAb = completed(claimed(joinA, "B", W2, at(12)), "B", W2, at(13));
    assertEquals(
        List.of("C"),
        ids(ParallelSteps.toPublish(joinAb, 4, at(13))),
        "C may start once both ended");
    assertEquals(
        Optional.empty(),
        ParallelSteps.continuation(joinAb, "B", 4, at(13)),
        "C waits for two steps: it starts from the remote's head, through the queue");
  }

  @Test
  void aLeaseItsHolderStoppedRenewingIsLapsingUntilItEndsAndARenewedOneNever() {
    Duration beat = LEASE.dividedBy(3);
    CycleState running = claimed(twoChains(), "A", W1, at(11)); // its lease ends at 41

    assertEquals(Optional.empty(), ParallelSteps.lapsingLease(running, at(12), beat), "fresh");
    assertEquals(
        Optional.of(at(41)),
        ParallelSteps.lapsingLease(running, at(35), beat),
        "not renewed for 24 s of a 30-s lease: its holder stopped");
    assertEquals(
        Optional.empty(),
        ParallelSteps.lapsingLease(running, at(41), beat),
        "ended: nothing to wait for, it is published now");
    CycleState renewed = ParallelSteps.renew(running, 1, "A", W1, LEASE, at(31));
    assertEquals(Optional.empty(), ParallelSteps.lapsingLease(renewed, at(35), beat), "renewed");
  }

  @Test
  void planWithoutDependenciesDoesNotFanOut() {
    CycleState sequential = CycleFixtures.executing();

    assertFalse(ParallelSteps.fansOut(sequential));
    assertEquals(List.of(), ParallelSteps.toPublish(sequential, 4, at(12)));
    assertInstanceOf(
        ClaimDecision.Stale.class,
        ParallelSteps.claim(sequential, 1, "1", W1, LEASE, ATTEMPTS, 4, at(12)));
    assertSame(sequential, ParallelSteps.settle(sequential, at(12)));
  }

  @Test
  void graphPlanOfALocalWorkspaceStaysSequential() {
    CycleState local =
        twoChains().toBuilder().workspace(new Workspace("/repos/shop", null)).build();

    assertFalse(ParallelSteps.fansOut(local));
    assertEquals(List.of(), ParallelSteps.toPublish(local, 4, at(12)));
  }

  @Test
  void publishesTheHeadOfEachChainUpToMaxParallel() {
    CycleState chains = twoChains();

    assertTrue(ParallelSteps.fansOut(chains));
    assertEquals(List.of("A", "D"), ids(ParallelSteps.toPublish(chains, 4, at(12))));
    assertEquals(List.of("A"), ids(ParallelSteps.toPublish(chains, 1, at(12))));
  }

  @Test
  void runningStepsUseUpMaxParallel() {
    // One declared dependency makes the plan a graph; the other steps wait for nothing.
    CycleState six =
        executing(step("1"), step("2"), step("3"), step("4"), step("5"), step("6", "1"));
    CycleState two = claimed(claimed(six, "1", W1, at(12)), "2", W2, at(12));

    assertEquals(List.of("3", "4"), ids(ParallelSteps.toPublish(two, 4, at(13))));
    ClaimDecision full = ParallelSteps.claim(two, 1, "3", W1, LEASE, ATTEMPTS, 2, at(13));
    assertEquals(at(12).plus(LEASE), assertInstanceOf(ClaimDecision.Busy.class, full).until());
  }

  @Test
  void claimWritesALeaseOnTheStepNotOnThePhase() {
    CycleState claimed = claimed(twoChains(), "A", W1, at(12));

    StepRecord a = record(claimed, "A");
    assertEquals(StepStatus.RUNNING, a.status());
    assertEquals(1, a.attempts());
    assertEquals(new Lease(W1, at(12).plus(LEASE)), a.lease());
    assertNull(claimed.lease());
    assertEquals(List.of("D"), ids(ParallelSteps.toPublish(claimed, 4, at(13))));
  }

  @Test
  void liveLeaseOfAnotherWorkerIsBusyAndAnEndedOneIsTakenOver() {
    CycleState claimed = claimed(twoChains(), "A", W1, at(12));

    assertInstanceOf(
        ClaimDecision.Busy.class,
        ParallelSteps.claim(claimed, 1, "A", W2, LEASE, ATTEMPTS, 4, at(20)));
    Instant afterLease = at(12).plus(LEASE).plusSeconds(1);
    assertTrue(ParallelSteps.stepLeased(claimed, "A", at(20)));
    assertFalse(ParallelSteps.stepLeased(claimed, "D", at(20)), "D never started");
    assertFalse(ParallelSteps.stepLeased(claimed, "A", afterLease), "its holder stopped renewing");
    assertEquals(List.of("A", "D"), ids(ParallelSteps.toPublish(claimed, 4, afterLease)));
    CycleState takenOver = claimed(claimed, "A", W2, afterLease);
    assertEquals(2, record(takenOver, "A").attempts());
    assertEquals(W2, record(takenOver, "A").lease().owner());
    AgentOsException lost =
        assertThrows(
            AgentOsException.class, () -> ParallelSteps.requireOwner(takenOver, 1, "A", W1));
    assertEquals(ErrorCode.CONFLICT, lost.code());
  }

  @Test
  void stepWaitingForAnotherIsStaleUntilItsDependencyCompleted() {
    CycleState chains = claimed(twoChains(), "A", W1, at(12));

    assertInstanceOf(
        ClaimDecision.Stale.class,
        ParallelSteps.claim(chains, 1, "B", W2, LEASE, ATTEMPTS, 4, at(13)));
    CycleState afterA = completed(chains, "A", W1, at(14));
    assertEquals(List.of("B", "D"), ids(ParallelSteps.toPublish(afterA, 4, at(15))));
    assertNull(record(afterA, "A").lease());
    assertInstanceOf(
        ClaimDecision.Stale.class,
        ParallelSteps.claim(afterA, 1, "A", W2, LEASE, ATTEMPTS, 4, at(15)));
  }

  @Test
  void stepStartedTooOftenIsExhaustedThenFailedWhileOthersGoOn() {
    CycleState state = twoChains();
    Instant now = at(12);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      state = claimed(state, "A", W1, now);
      now = now.plus(LEASE).plusSeconds(1); // each holder dies
    }
    ClaimDecision exhausted = ParallelSteps.claim(state, 1, "A", W2, LEASE, ATTEMPTS, 4, now);
    assertEquals(ATTEMPTS, assertInstanceOf(ClaimDecision.Exhausted.class, exhausted).attempts());

    CycleState failed = ParallelSteps.giveUp(state, 1, "A", "started 3 times", now);
    assertEquals(StepStatus.FAILED, record(failed, "A").status());
    assertEquals(StepStatus.SKIPPED, record(failed, "B").status());
    assertEquals(StepStatus.SKIPPED, record(failed, "C").status());
    assertEquals(
        "not run: it waits for step B, which did not complete", record(failed, "C").summary());
    assertEquals(Status.EXECUTING, failed.status());
    assertEquals(List.of("D"), ids(ParallelSteps.toPublish(failed, 4, now)));
  }

  @Test
  void lastStepToEndMovesTheCycleToExpressingOnce() {
    CycleState state = executing(step("1"), step("2"), step("3", "1"));
    state = claimed(claimed(state, "1", W1, at(12)), "2", W2, at(12));
    state = completed(state, "1", W1, at(13));
    state = claimed(state, "3", W1, at(14));
    state = completed(state, "2", W2, at(15));
    assertEquals(Status.EXECUTING, state.status());

    CycleState last = completed(state, "3", W1, at(16));

    assertEquals(Status.EXPRESSING, last.status());
    assertEquals(Phase.EXPRESS, last.phase());
    assertEquals(3, last.currentIteration().executionOrEmpty().steps().size());
    // The same write re-run after a conflict on the new state changes nothing twice.
    assertThrows(
        AgentOsException.class, () -> ParallelSteps.ended(last, 1, record(last, "3"), W1, at(17)));
    assertSame(last, ParallelSteps.settle(last, at(17)));
  }

  @Test
  void failedStepStopsOnlyTheStepsThatWaitForIt() {
    CycleState state = executing(step("1"), step("2", "1"), step("3"));
    state = claimed(claimed(state, "1", W1, at(12)), "3", W2, at(12));
    StepRecord failing = ParallelSteps.requireOwner(state, 1, "1", W1);
    state =
        ParallelSteps.ended(
            state,
            1,
            failing.finished(StepStatus.FAILED, at(13), "tests fail", null, null),
            W1,
            at(13));

    assertEquals(Status.EXECUTING, state.status());
    assertEquals(StepStatus.SKIPPED, record(state, "2").status());
    CycleState done = completed(state, "3", W2, at(14));
    assertEquals(Status.EXPRESSING, done.status());
    assertEquals("tests fail", record(done, "1").summary());
  }

  @Test
  void cancelledCycleStopsTheStepsWorker() {
    CycleState claimed = claimed(twoChains(), "A", W1, at(12));
    CycleState cancelled = Transitions.cancel(claimed, at(13));

    AgentOsException stop =
        assertThrows(
            AgentOsException.class,
            () -> ParallelSteps.renew(cancelled, 1, "A", W1, LEASE, at(14)));
    assertEquals(ErrorCode.CANCELLED, stop.code());
    assertNull(record(cancelled, "A").lease());
  }

  @Test
  void releasedStepCanBeClaimedAtOnce() {
    CycleState claimed = claimed(twoChains(), "A", W1, at(12));
    CycleState released = ParallelSteps.release(claimed, 1, "A", W1, at(13));

    assertNull(record(released, "A").lease());
    assertSame(released, ParallelSteps.release(released, 1, "A", W2, at(13)));
    assertEquals(W2, record(claimed(released, "A", W2, at(14)), "A").lease().owner());
  }

  @Test
  void renewalExtendsOnlyTheOwnersLease() {
    CycleState claimed = claimed(twoChains(), "A", W1, at(12));

    CycleState renewed = ParallelSteps.renew(claimed, 1, "A", W1, LEASE, at(20));
    assertEquals(at(20).plus(LEASE), record(renewed, "A").lease().until());
    assertThrows(
        AgentOsException.class, () -> ParallelSteps.renew(claimed, 1, "A", W2, LEASE, at(20)));
  }

  @Test
  void aCycleWhoseStepsRunIsLeasedOnlyWhileOneOfThemHoldsALiveLease() {
    CycleState idle = twoChains();
    assertFalse(ParallelSteps.anyStepLeased(idle, at(12)), "no step runs yet: an orphan");
    CycleState claimed = claimed(idle, "A", W1, at(12));
    assertTrue(ParallelSteps.anyStepLeased(claimed, at(13)));
    assertFalse(
        ParallelSteps.anyStepLeased(claimed, at(12).plus(LEASE).plusSeconds(1)),
        "its holder stopped renewing: nobody holds the cycle");
    assertFalse(ParallelSteps.anyStepLeased(completed(claimed, "A", W1, at(14)), at(15)));
  }
}
