package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule that tells a failed call from a success: only errors carry the service error headers and
 * a body whose only member is {@code error}; a success never does, even one that has an {@code
 * error} member (a FAILED cycle's state).
 */
class JsonEndpointsTest {
  private static final byte[] REQUEST = "{}".getBytes(StandardCharsets.UTF_8);
  private final JsonEndpoints endpoints = new JsonEndpoints("test", "0", "test", 1024);

  @Test
  void aSuccessWithAnErrorMemberBesideOthersHasNoErrorHeaders() {
    Map<String, Object> failedCycle =
        Map.of(
            "cycle_id", "c",
            "status", "FAILED",
            "error", Map.of("phase", "EXECUTE", "code", "INVALID_REQUEST", "message", "no agent"));
    JsonEndpoints.Reply reply = endpoints.reply(REQUEST, body -> failedCycle);
    assertFalse(reply.isError());
    assertNull(reply.headers());
    JsonNode tree = Json.tree(reply.body());
    assertFalse(ApiError.isErrorReply(tree), tree.toString());
    assertEquals("FAILED", tree.path("status").asText());
  }

  @Test
  void anErrorHasTheHeadersAndTheErrorAlone() {
    JsonEndpoints.Reply reply =
        endpoints.reply(
            REQUEST,
            body -> {
              throw new AgentOsException(ErrorCode.NOT_FOUND, "no cycle 'x'");
            });
    assertTrue(reply.isError());
    assertEquals("no cycle 'x'", reply.headers().getFirst(JsonEndpoints.ERROR_HEADER));
    assertEquals("404", reply.headers().getFirst(JsonEndpoints.ERROR_CODE_HEADER));
    JsonNode tree = Json.tree(reply.body());
    assertTrue(ApiError.isErrorReply(tree), tree.toString());
    assertEquals("NOT_FOUND", tree.path("error").path("code").asText());
  }

  @Test
  void aSuccessShapedLikeAnErrorIsNeverSentAsASuccess() {
    JsonEndpoints.Reply reply =
        endpoints.reply(REQUEST, body -> Map.of("error", Map.of("code", "X", "message", "y")));
    assertTrue(reply.isError(), "sent as an internal error, with the headers");
    assertEquals("500", reply.headers().getFirst(JsonEndpoints.ERROR_CODE_HEADER));
    assertEquals("INTERNAL", Json.tree(reply.body()).path("error").path("code").asText());
  }

  @Test
  void onlyAnObjectWhoseOnlyMemberIsAnErrorObjectIsAnErrorBody() {
    assertTrue(ApiError.isErrorReply(Json.tree(bytes("{\"error\":{\"code\":\"X\"}}"))));
    assertFalse(ApiError.isErrorReply(Json.tree(bytes("{\"error\":{},\"cycle_id\":\"c\"}"))));
    assertFalse(ApiError.isErrorReply(Json.tree(bytes("{\"error\":\"text\"}"))));
    assertFalse(ApiError.isErrorReply(Json.tree(bytes("[{\"error\":{}}]"))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
