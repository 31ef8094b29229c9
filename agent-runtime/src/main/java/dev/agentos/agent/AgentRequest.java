package dev.agentos.agent;

import dev.agentos.agent.channel.AgentChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One call of an agent.
 *
 * @param role the role asking (planner, executor, express, review): picks the backend and model
 * @param prompt the whole prompt, already assembled
 * @param workspace the directory the agent works in (a command agent's working directory)
 * @param timeout how long the call may take before it is stopped
 * @param environment extra environment for command agents, e.g. {@code AGENTOS_CYCLE_ID}
 */
public record AgentRequest(
    String role, String prompt, Path workspace, Duration timeout, Map<String, String> environment) {

  public static final String CYCLE_ID = "AGENTOS_CYCLE_ID";
  public static final String STEP_ID = "AGENTOS_STEP_ID";
  public static final String ATTEMPT = "AGENTOS_ATTEMPT";
  public static final String ROLE = "AGENTOS_ROLE";
  public static final String INSTRUCTION = "AGENTOS_INSTRUCTION";

  /** The cycle's spec folder, relative to the workspace (the agent's working directory). */
  public static final String SPEC = "AGENTOS_SPEC";

  /** The same request with {@code channel} named in the agent's environment. */
  public AgentRequest with(AgentChannel channel) {
    Map<String, String> more = new HashMap<>(environment == null ? Map.of() : environment);
    more.putAll(channel.environment());
    return new AgentRequest(role, prompt, workspace, timeout, Map.copyOf(more));
  }

  /** The same request with {@code note} after its prompt. */
  public AgentRequest withPromptNote(String note) {
    return new AgentRequest(role, prompt + "\n" + note, workspace, timeout, environment);
  }
}
