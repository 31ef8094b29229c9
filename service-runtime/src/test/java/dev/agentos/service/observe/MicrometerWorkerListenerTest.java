package dev.agentos.service.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerWorkerListenerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerWorkerListener listener = new MicrometerWorkerListener(registry);
  private final CycleState state = new CycleState.Builder().cycleId("c1").build();

  @Test
  void timesCommittedPhasesPerPhaseAndRole() {
    listener.phaseCommitted(state, Phase.EXECUTE, Duration.ofMillis(1500));
    listener.phaseCommitted(state, Phase.EXECUTE, Duration.ofMillis(500));

    var timer =
        registry
            .get("agentos.phase.duration")
            .tag("phase", "execute")
            .tag("role", "executor")
            .timer();
    assertEquals(2, timer.count());
    assertEquals(2.0, timer.totalTime(TimeUnit.SECONDS), 1e-9);
  }

  @Test
  void countsFinishedStepsByStatus() {
    StepRecord step = StepRecord.started("1", 1, Instant.EPOCH);
    listener.stepFinished(
        state, step.finished(StepStatus.COMPLETED, Instant.EPOCH, "ok", null, null));
    listener.stepFinished(
        state, step.finished(StepStatus.COMPLETED, Instant.EPOCH, "ok", null, null));
    listener.stepFinished(state, step.finished(StepStatus.FAILED, Instant.EPOCH, "no", null, null));

    assertEquals(2.0, registry.get("agentos.steps").tag("status", "COMPLETED").counter().count());
    assertEquals(1.0, registry.get("agentos.steps").tag("status", "FAILED").counter().count());
  }

  @Test
  void countsRedeliveriesOnlyFromTheSecondDelivery() {
    listener.claimed(state, Phase.REVIEW, 1);
    assertNull(registry.find("agentos.redeliveries").counter());

    listener.claimed(state, Phase.REVIEW, 2);
    listener.claimed(state, Phase.REVIEW, 3);
    assertEquals(
        2.0, registry.get("agentos.redeliveries").tag("phase", "review").counter().count());
    assertEquals(
        3.0, registry.get("agentos.phase.claims").tag("phase", "review").counter().count());
  }

  @Test
  void separatesRetriesFromFinalFailuresByCode() {
    listener.phaseFailed(state, Phase.EXECUTE, ErrorCode.UNAVAILABLE, true);
    listener.phaseFailed(state, Phase.EXECUTE, ErrorCode.UNAVAILABLE, true);
    listener.phaseFailed(state, Phase.EXECUTE, ErrorCode.INTERNAL, false);

    assertEquals(
        2.0,
        registry
            .get("agentos.phase.retries")
            .tag("phase", "execute")
            .tag("code", "UNAVAILABLE")
            .counter()
            .count());
    assertEquals(
        1.0,
        registry
            .get("agentos.phase.failures")
            .tag("phase", "execute")
            .tag("code", "INTERNAL")
            .counter()
            .count());
    assertNull(registry.find("agentos.phase.retries").tag("code", "INTERNAL").counter());
  }

  @Test
  void addsAgentTokensAndCostPerRoleAndModel() {
    listener.agentUsage(Phase.EXECUTE, "gpt-x", new Usage(100, 20, 0.5, 3));
    listener.agentUsage(Phase.EXECUTE, "gpt-x", new Usage(50, 5, 0.25, 1));
    listener.agentUsage(Phase.PLAN, null, new Usage(7, 1, 0, 1));

    assertEquals(150.0, tokens("executor", "gpt-x", "in"));
    assertEquals(25.0, tokens("executor", "gpt-x", "out"));
    assertEquals(7.0, tokens("planner", "unknown", "in"));
    assertEquals(
        0.75,
        registry
            .get("agentos.agent.cost")
            .tag("role", "executor")
            .tag("model", "gpt-x")
            .counter()
            .count(),
        1e-9);
  }

  private double tokens(String role, String model, String direction) {
    return registry
        .get("agentos.agent.tokens")
        .tag("role", role)
        .tag("model", model)
        .tag("direction", direction)
        .counter()
        .count();
  }
}
