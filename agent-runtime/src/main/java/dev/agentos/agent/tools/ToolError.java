package dev.agentos.agent.tools;

/** A tool call that was refused or failed: its message goes back to the model, never further. */
public final class ToolError extends RuntimeException {
  public ToolError(String message) {
    super(message, null, false, false);
  }
}
