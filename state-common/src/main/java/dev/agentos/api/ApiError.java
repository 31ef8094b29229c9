package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;

/** The error body every endpoint replies with: {@code {"error":{"code","message"}}}. */
public record ApiError(Body error) {
  public record Body(ErrorCode code, String message) {}

  public static ApiError of(AgentOsException e) {
    return new ApiError(new Body(e.code(), e.getMessage()));
  }
}
