package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.Phase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test hooks are off unless asked for, and say clearly what is wrong with a bad setting. */
class FaultPointsTest {

  @Test
  void areOffWithoutTheirProperties() {
    FaultPoints points = FaultPoints.parse(null, " ");
    assertTrue(points.haltAfterCommit().isEmpty());
    assertTrue(points.delays().isEmpty());
    assertEquals(FaultPoints.NONE, points);
  }

  @Test
  void readPhasesByTokenOrRoleAndDelaysInSecondsOrMillis() {
    FaultPoints points =
        FaultPoints.parse("execute, review", "plan:600ms,express:1.5s,executor:PT2S");
    assertEquals(Set.of(Phase.EXECUTE, Phase.REVIEW), points.haltAfterCommit());
    assertEquals(
        Map.of(
            Phase.PLAN, Duration.ofMillis(600),
            Phase.EXPRESS, Duration.ofMillis(1500),
            Phase.EXECUTE, Duration.ofSeconds(2)),
        points.delays());
  }

  @Test
  void rejectAnUnknownPhaseOrAMissingDuration() {
    IllegalArgumentException phase =
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.parse("deploy", null));
    assertTrue(phase.getMessage().contains("deploy"), phase.getMessage());
    IllegalArgumentException delay =
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.parse(null, "express"));
    assertTrue(delay.getMessage().contains("<phase>:<duration>"), delay.getMessage());
  }

  @Test
  void holdOnlyTheConfiguredPhase() throws InterruptedException {
    FaultPoints points = FaultPoints.parse(null, "express:200ms");
    long start = System.nanoTime();
    points.beforeLogic(Phase.PLAN);
    assertTrue(System.nanoTime() - start < 150_000_000L, "PLAN is not held");
    start = System.nanoTime();
    points.beforeLogic(Phase.EXPRESS);
    assertTrue(System.nanoTime() - start >= 200_000_000L, "EXPRESS is held");
  }
}
