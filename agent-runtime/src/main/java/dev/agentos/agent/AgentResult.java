package dev.agentos.agent;

import dev.agentos.state.Usage;

/**
 * What an agent answered.
 *
 * @param text the answer (a command agent's standard output)
 * @param exitStatus the process exit status of a command agent; 0 for a model that answered
 * @param usage tokens, cost and wall time of the call (a model's summed over all its turns)
 * @param model the model (or command) that answered, for accounting per model
 * @param transcript a model agent's record of its turns and tool calls, for the object store; null
 *     when the answer is all there is
 */
public record AgentResult(
    String text, int exitStatus, Usage usage, String model, String transcript) {

  public AgentResult(String text, int exitStatus, Usage usage, String model) {
    this(text, exitStatus, usage, model, null);
  }
}
