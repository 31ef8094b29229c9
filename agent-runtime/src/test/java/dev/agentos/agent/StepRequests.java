package dev.agentos.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The executor's request for one plan step, as tests of a step's agent call make it. */
public final class StepRequests {
  private StepRequests() {}

  public static AgentRequest of(Path workspace, String stepId) {
    return new AgentRequest(
        "executor",
        "Carry out step " + stepId + ".",
        workspace,
        Duration.ofSeconds(60),
        Map.of(AgentRequest.STEP_ID, stepId));
  }
}
