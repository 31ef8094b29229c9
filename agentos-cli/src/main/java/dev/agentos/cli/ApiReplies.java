package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ApiError;
import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;

/**
 * Reads a reply of the control API: the JSON body, or the server's {@code
 * {"error":{"code","message"}}} turned into a CliException that shows the server's message.
 *
 * <p>A failed call is one with the {@code Nats-Service-Error} header, or (for a reply that lost its
 * headers on the way) a body whose only member is {@code error}. A body that merely has an {@code
 * error} member is a success: the status of a FAILED cycle is its state, whose {@code error} is why
 * the cycle failed, and it must be shown, not taken for a refusal.
 */
public final class ApiReplies {
  private ApiReplies() {}

  /**
   * @param errorHeader the {@code Nats-Service-Error} header, or null on success
   */
  public static JsonNode read(String subject, byte[] body, String errorHeader) {
    JsonNode tree;
    try {
      tree = Json.tree(body);
    } catch (AgentOsException e) {
      throw new CliException(
          ExitCode.API_ERROR,
          subject
              + " answered something that is not JSON"
              + (errorHeader == null ? "" : " (error: " + errorHeader + ")")
              + "; is the service the same version as this CLI?");
    }
    if (errorHeader == null && !ApiError.isErrorReply(tree)) {
      return tree;
    }
    JsonNode error = tree.path(ApiError.FIELD);
    String code = error.path("code").asText("ERROR");
    String message = error.path("message").asText(errorHeader == null ? "" : errorHeader);
    int exit = "NOT_FOUND".equals(code) ? ExitCode.NOT_FOUND : ExitCode.API_ERROR;
    throw new ApiRefusal(exit, code, message);
  }
}
