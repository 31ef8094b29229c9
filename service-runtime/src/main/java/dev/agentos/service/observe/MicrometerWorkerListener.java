package dev.agentos.service.observe;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Usage;
import dev.agentos.worker.WorkerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Turns what the phase worker reports into Prometheus metrics. Meter names are dotted Micrometer
 * names; the Prometheus registry renders {@code agentos.steps} as {@code agentos_steps_total}, a
 * timer as {@code <name>_seconds_count/_sum/_max/_bucket}, and a base unit as a name suffix.
 *
 * <p>Tag values come from closed sets (phases, roles, statuses, error codes) plus the configured
 * model names, so the number of series stays small.
 */
@Singleton
public class MicrometerWorkerListener implements WorkerListener {
  static final String PHASE_DURATION = "agentos.phase.duration";
  static final String PHASE_CLAIMS = "agentos.phase.claims";
  static final String REDELIVERIES = "agentos.redeliveries";
  static final String PHASE_RETRIES = "agentos.phase.retries";
  static final String PHASE_FAILURES = "agentos.phase.failures";
  static final String STEPS = "agentos.steps";
  static final String AGENT_TOKENS = "agentos.agent.tokens";
  static final String AGENT_COST = "agentos.agent.cost";
  static final String UNKNOWN_MODEL = "unknown";

  /** Histogram buckets from a quick plan to an hour-long execution, few enough to keep. */
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30),
    Duration.ofHours(1)
  };

  private final MeterRegistry registry;

  @Inject
  public MicrometerWorkerListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void claimed(CycleState state, Phase phase, long delivery) {
    counter(PHASE_CLAIMS, "Phases claimed by a worker", "phase", phase.token()).increment();
    if (delivery > 1) {
      counter(
              REDELIVERIES,
              "Work messages claimed on a second or later delivery",
              "phase",
              phase.token())
          .increment();
    }
  }

  @Override
  public void phaseCommitted(CycleState after, Phase phase, Duration took) {
    Timer.builder(PHASE_DURATION)
        .description("Time from claiming a phase to committing its transition")
        .tag("phase", phase.token())
        .tag("role", phase.role())
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(took);
  }

  @Override
  public void phaseFailed(CycleState state, Phase phase, ErrorCode code, boolean retrying) {
    if (retrying) {
      counter(
              PHASE_RETRIES,
              "Phase attempts that failed and will run again",
              "phase",
              phase.token(),
              "code",
              code.name())
          .increment();
    } else {
      counter(
              PHASE_FAILURES,
              "Phase attempts that failed for good",
              "phase",
              phase.token(),
              "code",
              code.name())
          .increment();
    }
  }

  @Override
  public void stepFinished(CycleState state, StepRecord step) {
    counter(STEPS, "Executed steps that reached a final status", "status", step.status().name())
        .increment();
  }

  @Override
  public void agentUsage(Phase phase, String model, Usage usage) {
    if (usage == null) {
      return;
    }
    String modelTag = model == null || model.isBlank() ? UNKNOWN_MODEL : model;
    tokens(phase, modelTag, "in").increment(usage.tokensIn());
    tokens(phase, modelTag, "out").increment(usage.tokensOut());
    Counter.builder(AGENT_COST)
        .description("What agent calls cost, in US dollars")
        .baseUnit("usd")
        .tag("role", phase.role())
        .tag("model", modelTag)
        .register(registry)
        .increment(usage.costUsd());
  }

  private Counter tokens(Phase phase, String model, String direction) {
    return Counter.builder(AGENT_TOKENS)
        .description("Tokens sent to (in) and received from (out) agents")
        .baseUnit("tokens")
        .tag("role", phase.role())
        .tag("model", model)
        .tag("direction", direction)
        .register(registry);
  }

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
