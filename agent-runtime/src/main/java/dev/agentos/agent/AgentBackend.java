package dev.agentos.agent;

/**
 * An agent Agent OS can call: a chat model behind an API, or a CLI agent run in the workspace. A
 * call that does not produce an answer throws an {@code AgentOsException}: {@code AGENT_FAILED}
 * (with the reason, e.g. a command's stderr tail) or {@code AGENT_TIMEOUT}.
 */
public interface AgentBackend {
  AgentResult call(AgentRequest request);

  /** A one-line description for logs and {@code agentos doctor}; never contains a secret. */
  String describe();
}
