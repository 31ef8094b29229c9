package dev.agentos.cli.mcp;

/**
 * Why a tool call did not do what it was asked, as the MCP client sees it: a tool result with
 * {@code isError}, whose text is {@code CODE: message}. The code is the control API's own ({@code
 * NOT_FOUND}, {@code INVALID_REQUEST}, …), {@link #INVALID_ARGUMENTS} for arguments refused before
 * anything was sent, or {@link #UNAVAILABLE} when NATS or the services cannot be reached.
 */
public final class ToolError extends RuntimeException {
  public static final String INVALID_ARGUMENTS = "INVALID_ARGUMENTS";
  public static final String UNAVAILABLE = "UNAVAILABLE";

  private final String code;

  public ToolError(String code, String message) {
    super(message);
    this.code = code;
  }

  public static ToolError invalid(String message) {
    return new ToolError(INVALID_ARGUMENTS, message);
  }

  public String code() {
    return code;
  }
}
