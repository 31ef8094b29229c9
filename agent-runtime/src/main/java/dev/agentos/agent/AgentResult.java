package dev.agentos.agent;

import dev.agentos.state.Usage;

/**
 * What an agent answered.
 *
 * @param text the answer (a command agent's standard output)
 * @param exitStatus the process exit status of a command agent; 0 for a model that answered
 * @param usage tokens, cost and wall time of the call
 * @param model the model (or command) that answered, for accounting per model
 */
public record AgentResult(String text, int exitStatus, Usage usage, String model) {}
