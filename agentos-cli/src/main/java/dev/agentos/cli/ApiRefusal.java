package dev.agentos.cli;

/**
 * The control API refused a request: its error code ({@code NOT_FOUND}, {@code INVALID_REQUEST}, …)
 * and message, kept apart so that a caller other than a person at a terminal (the MCP server) can
 * hand both on as they are.
 */
public final class ApiRefusal extends CliException {
  private final String code;
  private final String reason;

  ApiRefusal(int exitCode, String code, String reason) {
    super(exitCode, reason + " [" + code + "]");
    this.code = code;
    this.reason = reason;
  }

  /** The API's error code, e.g. {@code INVALID_REQUEST}. */
  public String code() {
    return code;
  }

  /** The API's message, without the code. */
  public String reason() {
    return reason;
  }
}
