package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;

/**
 * A submit refused because another cycle works in the same local working tree: CONFLICT on the API,
 * and a rejection (not a duplicate to drop) for the durable intake.
 */
public final class WorkspaceBusyException extends AgentOsException {
  public WorkspaceBusyException(String message) {
    super(ErrorCode.CONFLICT, message);
  }
}
