package dev.agentos.agent.cli;

/**
 * The tool's own session a run uses.
 *
 * @param id the session id: one fixed before the start (Claude Code's {@code --session-id}), or the
 *     one to resume; null for a tool that chooses its own and has not reported it yet
 * @param resume whether the run continues that session instead of starting it
 */
public record CliSession(String id, boolean resume) {
  public static CliSession fresh(String id) {
    return new CliSession(id, false);
  }

  public static CliSession resuming(String id) {
    return new CliSession(id, true);
  }
}
