package dev.agentos.error;

/** The one exception type of Agent OS: a code a program can act on and a message a person can. */
public class AgentOsException extends RuntimeException {
  private final ErrorCode code;

  public AgentOsException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public AgentOsException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static AgentOsException invalid(String message) {
    return new AgentOsException(ErrorCode.INVALID_REQUEST, message);
  }

  public static AgentOsException notFound(String cycleId) {
    return new AgentOsException(
        ErrorCode.NOT_FOUND,
        "no cycle '"
            + cycleId
            + "'; list the known cycles with agentos.api.list or `agentos status`");
  }
}
