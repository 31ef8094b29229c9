package dev.agentos.agent;

import dev.agentos.agent.channel.AgentChannel;
import dev.agentos.agent.tools.ToolAccess;

/**
 * How one plan step's agent is called.
 *
 * @param stepId the step
 * @param tools the executor's tools, for a model agent (a CLI agent brings its own)
 * @param channel where the agent may ask a person or record decisions; null for none
 * @param afterAnswer whether the run continues the step after a person answered its agent's
 *     question (rather than starting it, or taking over an interrupted attempt)
 */
public record StepCall(
    String stepId, ToolAccess tools, AgentChannel channel, boolean afterAnswer) {}
