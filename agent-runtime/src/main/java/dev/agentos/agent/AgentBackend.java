package dev.agentos.agent;

import dev.agentos.agent.tools.ToolAccess;

/**
 * An agent Agent OS can call: a chat model behind an API, or a CLI agent run in the workspace. A
 * call that does not produce an answer throws an {@code AgentOsException}: {@code AGENT_FAILED}
 * (with the reason, e.g. a command's stderr tail) or {@code AGENT_TIMEOUT}.
 */
public interface AgentBackend {
  AgentResult call(AgentRequest request);

  /**
   * A call in which a model agent works with the role's tools ({@code tools}) until it answers. An
   * agent that brings its own tools (a CLI agent) or cannot call any makes a plain call.
   */
  default AgentResult call(AgentRequest request, ToolAccess tools) {
    return call(request);
  }

  /**
   * Whether this agent can act on the workspace, with its own tools or with Agent OS's: false only
   * for a model whose profile says it cannot call tools.
   */
  default boolean actsOnWorkspace() {
    return true;
  }

  /** A one-line description for logs and {@code agentos doctor}; never contains a secret. */
  String describe();
}
