package dev.agentos.worker;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.StepRecord;
import dev.agentos.state.Usage;
import java.time.Duration;

/**
 * What the phase worker reports as it goes, for metrics. Every method has an empty default so an
 * observer implements only what it measures; calls happen on worker threads and must be quick.
 */
public interface WorkerListener {
  WorkerListener NONE = new WorkerListener() {};

  /** A worker claimed a phase; {@code delivery} counts the message's deliveries, from 1. */
  default void claimed(CycleState state, Phase phase, long delivery) {}

  /** A phase finished and its transition was committed. */
  default void phaseCommitted(CycleState after, Phase phase, Duration took) {}

  /** A phase failed; {@code retrying} says whether it will run again. */
  default void phaseFailed(CycleState state, Phase phase, ErrorCode code, boolean retrying) {}

  /** An executed step was checkpointed in a final status. */
  default void stepFinished(CycleState state, StepRecord step) {}

  /** An agent call of {@code phase}'s role used this much with {@code model}. */
  default void agentUsage(Phase phase, String model, Usage usage) {}
}
