package dev.agentos.worker;

import dev.agentos.state.Phase;

/**
 * What a role supplies to the shared {@link PhaseWorker}: the work of one phase, in plain Java. It
 * reads the cycle and the workspace from the context, checkpoints through it, and returns the
 * outcome; it never touches NATS. Throwing an {@code AgentOsException} with a retryable code (or
 * any other exception) makes the worker retry the phase with backoff; a non-retryable code fails
 * the cycle.
 */
public interface PhaseLogic {
  Phase phase();

  PhaseOutcome run(PhaseContext context) throws Exception;
}
