package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.WorkMessage;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a confirmed state has not reached a work message yet: the message may wait for it. */
class ConfirmedClaimTest {

  @ParameterizedTest(name = "{0} vs work for iteration {1} {2}: behind {3}")
  @CsvSource({
    // state (iteration 1)    work iteration, phase, behind
    "QUEUED,            1, PLAN,    false",
    "QUEUED,            1, EXECUTE, true",
    "PLANNING,          2, PLAN,    true",
    "EXECUTING,         1, PLAN,    false",
    "EXECUTING,         1, EXECUTE, false",
    "EXECUTING,         1, REVIEW,  true",
    "REVIEWING,         2, PLAN,    true",
    "REVIEWING,         1, EXPRESS, false",
    "AWAITING_APPROVAL, 1, EXECUTE, true",
    "NEEDS_INPUT,       1, EXECUTE, false",
    "PAUSED,            1, EXECUTE, false",
    "FAILED,            1, REVIEW,  false",
    "COMPLETED,         2, PLAN,    false",
    "CANCELLED,         1, REVIEW,  false",
  })
  void aStateIsBehindAMessageForALaterIterationOrPhaseUnlessItEnded(
      Status status, int iteration, Phase phase, boolean behind) {
    CycleState state = CycleFixtures.inStatus(status);
    assertEquals(1, state.iteration());
    WorkMessage work = new WorkMessage(state.cycleId(), iteration, phase);
    assertEquals(behind, ConfirmedClaim.behind(state, work));
  }

  @ParameterizedTest(name = "no cycle vs work for {0}: behind")
  @CsvSource({"PLAN", "REVIEW"})
  void noCycleIsBehindEveryMessage(Phase phase) {
    assertTrue(ConfirmedClaim.behind(null, new WorkMessage(CycleFixtures.CYCLE_ID, 1, phase)));
  }
}
