package dev.agentos.agent;

import dev.agentos.state.Budgets;
import dev.agentos.worker.PhaseContext;

/**
 * How a phase calls its agent: the cycle's budget is checked first (a reached limit pauses the
 * cycle instead of spending more), and the call's usage is recorded for the cycle afterwards.
 */
public final class AgentCalls {
  private AgentCalls() {}

  public static AgentResult call(PhaseContext context, AgentBackend agent, AgentRequest request) {
    Budgets.require(context.state(), context.uncommittedUsage());
    AgentResult result = agent.call(request);
    context.recordUsage(result.usage(), result.model());
    return result;
  }
}
