package dev.agentos.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;

/**
 * The error body every endpoint replies with: {@code {"error":{"code","message"}}}, and nothing
 * else at the top level.
 *
 * <p>How a client tells a failed call from a success: the reply carries the {@code
 * Nats-Service-Error} header (NATS micro's convention). A client that sees only the body uses
 * {@link #isErrorReply}: an error body has {@code error} as its only member, and {@link
 * JsonEndpoints} never sends a success body of that shape. A cycle state has an {@code error} too
 * (the cycle's failure, when it FAILED), always beside {@code schema}, {@code cycle_id} and {@code
 * status}: that is a successful reply about a failed cycle.
 */
public record ApiError(Body error) {
  public static final String FIELD = "error";

  public record Body(ErrorCode code, String message) {}

  public static ApiError of(AgentOsException e) {
    return new ApiError(new Body(e.code(), e.getMessage()));
  }

  /** Whether {@code body} has the shape of an error reply: an object whose only member is error. */
  public static boolean isErrorReply(JsonNode body) {
    return body != null && body.isObject() && body.size() == 1 && body.path(FIELD).isObject();
  }
}
