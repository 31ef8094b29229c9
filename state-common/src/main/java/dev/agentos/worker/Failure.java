package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;

/**
 * A failure as the failure policy sees it: its code and message, and why the worker stopped the
 * phase, if the worker itself did ({@link StopReason#NONE} when the failure came from the work).
 */
public record Failure(ErrorCode code, String message, StopReason stop) {
  public Failure {
    message = message == null ? "" : message;
  }

  public static Failure of(AgentOsException e) {
    return new Failure(e.code(), e.getMessage(), StopReason.NONE);
  }

  public static Failure of(ErrorCode code, String message) {
    return new Failure(code, message, StopReason.NONE);
  }

  /** The same failure, known to follow a stop the worker made. */
  public Failure after(StopReason reason) {
    return reason == StopReason.NONE ? this : new Failure(code, message, reason);
  }
}
