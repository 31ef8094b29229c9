package dev.agentos.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When an observer counts a dead worker's phase as taken up again. */
class TakeoverTest {
  private static final Instant UNTIL = Instant.parse("2026-11-20T10:00:30Z");

  private static CycleState held(String owner, int attempts) {
    return CycleFixtures.inStatus(Status.EXECUTING).toBuilder()
        .lease(new Lease(owner, UNTIL))
        .attempts(attempts)
        .build();
  }

  @Test
  void anotherProcessClaimingAgainIsATakeover() {
    CycleState before = held("executor-host-111/1", 1);
    assertTrue(Takeover.happened(before, held("executor-host-222/3", 2), 111));
  }

  @Test
  void theDeadProcessesLeaseOrNoNewAttemptIsNot() {
    CycleState before = held("executor-host-111/1", 1);
    assertFalse(Takeover.happened(before, before, 111), "nothing happened yet");
    assertFalse(
        Takeover.happened(before, held("executor-host-222/3", 1), 111), "no new claim counted");
    assertFalse(
        Takeover.happened(before, before.toBuilder().lease(null).build(), 111), "lease lapsed");
  }

  @Test
  void aCycleThatMovedOnOrEndedCounts() {
    CycleState before = held("executor-host-111/1", 1);
    assertTrue(Takeover.happened(before, CycleFixtures.inStatus(Status.EXPRESSING), 111));
    assertTrue(Takeover.happened(before, CycleFixtures.inStatus(Status.COMPLETED), 111));
  }
}
