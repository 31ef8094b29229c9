package dev.agentos.console;

import dev.agentos.error.ErrorCode;

/**
 * An {@code agentos.api.*} call that did not succeed: the API's own error (its code and message,
 * shown to the user as they are) or no service answering ({@link ErrorCode#UNAVAILABLE}).
 */
public final class ApiCallException extends RuntimeException {
  private final String code;

  public ApiCallException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The HTTP status the console answers with: the API's own for its codes, else 502. */
  public int httpStatus() {
    for (ErrorCode known : ErrorCode.values()) {
      if (known.name().equals(code)) {
        return known.status();
      }
    }
    return 502;
  }
}
