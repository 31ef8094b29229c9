package dev.agentos.agent;

import dev.agentos.agent.tools.ToolSettings;

/**
 * A model agent's tool settings and where they are configured ({@code
 * agentos.profiles.<name>.tools} or {@code agentos.agents.<role>.tools}), for messages that name
 * the key to change.
 */
public record ModelTools(ToolSettings settings, String key) {
  public static final ModelTools DEFAULT = new ModelTools(ToolSettings.DEFAULT, "tools");

  public ModelTools {
    settings = settings == null ? ToolSettings.DEFAULT : settings.validated(key);
  }

  /**
   * Why {@code role} cannot use an agent of {@code backend} with these settings, if it cannot: a
   * model that cannot call tools has no way to change the workspace, which the executor must.
   *
   * @param what how the agent is named to a person: "profile local", "agentos.agents.executor"
   */
  public java.util.Optional<String> refusal(
      String role, AgentSettings.Backend backend, String what) {
    if (backend == AgentSettings.Backend.COMMAND
        || settings.calling()
        || !dev.agentos.agent.tools.ToolAccess.needed(role)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        what
            + " is a "
            + backend.configName()
            + " model that cannot call tools ("
            + key
            + ".calling=false), so as the "
            + role
            + " it could not read or change a file; use a model that can call tools (and remove"
            + " that setting), or a CLI agent profile (backend command)");
  }
}
