package dev.agentos.service.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The names operators put in dashboards and alerts, as the Prometheus registry renders them. */
class PrometheusNamesTest {

  /** A registry in which every meter of the services has been used once. */
  static PrometheusMeterRegistry everyMeterUsed() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerWorkerListener listener = new MicrometerWorkerListener(registry);
    CycleState state = new CycleState.Builder().cycleId("c1").build();
    listener.claimed(state, Phase.EXECUTE, 2);
    listener.phaseCommitted(state, Phase.EXECUTE, Duration.ofSeconds(2));
    listener.phaseFailed(state, Phase.EXECUTE, ErrorCode.UNAVAILABLE, true);
    listener.phaseFailed(state, Phase.EXECUTE, ErrorCode.AGENT_FAILED, false);
    listener.stepFinished(
        state,
        StepRecord.started("1", 1, Instant.EPOCH)
            .finished(StepStatus.COMPLETED, Instant.EPOCH, "ok", null, null));
    listener.agentUsage(Phase.EXECUTE, "m", new Usage(10, 2, 0.01, 1));
    CycleStatusGauges.register(registry, status -> status == Status.COMPLETED ? 1 : 0);
    WorkQueueGauges.register(
        registry,
        new WorkQueueGauges.QueueReadings() {
          @Override
          public double queueDepth(Phase phase) {
            return phase == Phase.EXECUTE ? 3 : 0;
          }

          @Override
          public double deadLetters(Phase phase) {
            return phase == Phase.REVIEW ? 1 : 0;
          }
        });
    return registry;
  }

  @Test
  void rendersTheDocumentedPrometheusNames() {
    PrometheusMeterRegistry registry = everyMeterUsed();

    // The text format may end a label set with a comma; compare without it.
    String text = registry.scrape().replace(",}", "}");

    assertContains(
        text, "agentos_phase_duration_seconds_count{phase=\"execute\",role=\"executor\"} 1.0");
    assertContains(
        text,
        "agentos_phase_duration_seconds_bucket{phase=\"execute\",role=\"executor\",le=\"5.0\"} 1.0");
    assertContains(text, "agentos_steps_total{status=\"COMPLETED\"} 1.0");
    assertContains(text, "agentos_phase_retries_total{code=\"UNAVAILABLE\",phase=\"execute\"} 1.0");
    assertContains(text, "agentos_redeliveries_total{phase=\"execute\"} 1.0");
    assertContains(
        text, "agentos_agent_tokens_total{direction=\"in\",model=\"m\",role=\"executor\"} 10.0");
    assertContains(text, "agentos_agent_cost_usd_total{model=\"m\",role=\"executor\"} 0.01");
    assertContains(text, "agentos_cycles{status=\"COMPLETED\"} 1.0");
    assertContains(text, "agentos_cycles{status=\"FAILED\"} 0.0");
    assertContains(
        text, "agentos_phase_failures_total{code=\"AGENT_FAILED\",phase=\"execute\"} 1.0");
    assertContains(text, "agentos_queue_depth{role=\"executor\"} 3.0");
    assertContains(text, "agentos_dlq_messages{phase=\"review\"} 1.0");
  }

  private static void assertContains(String text, String line) {
    assertTrue(text.contains(line), "missing '" + line + "' in:\n" + text);
  }
}
