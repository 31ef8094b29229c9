package dev.agentos.agent.tools;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Usage;

/**
 * A tool loop that ended without an answer (a limit reached, a model call that failed on the way):
 * its reason, and what it used and did up to then, so that the tokens are still counted and the
 * transcript still kept.
 */
public final class ToolLoopFailure extends AgentOsException {
  private final transient Usage usage;
  private final String model;
  private final String transcript;

  public ToolLoopFailure(
      ErrorCode code,
      String message,
      Throwable cause,
      Usage usage,
      String model,
      String transcript) {
    super(code, message, cause);
    this.usage = usage;
    this.model = model;
    this.transcript = transcript;
  }

  public Usage usage() {
    return usage;
  }

  public String model() {
    return model;
  }

  public String transcript() {
    return transcript;
  }
}
