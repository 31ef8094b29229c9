package dev.agentos.testing;

import java.util.List;

/** A fake Anthropic Messages API server ({@code POST /v1/messages}). */
public final class FakeAnthropicServer extends FakeModelServer {
  public static final String PATH = "/v1/messages";

  public FakeAnthropicServer() {
    super(PATH);
  }

  @Override
  public String baseUrl() {
    return root() + "/v1/";
  }

  @Override
  protected String answerJson(String model, String text, long tokensIn, long tokensOut) {
    return "{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + quote(model)
        + ",\"content\":[{\"type\":\"text\",\"text\":"
        + quote(text)
        + "}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":"
        + tokensIn
        + ",\"output_tokens\":"
        + tokensOut
        + "}}";
  }

  @Override
  protected String toolCallsJson(
      String model, List<ToolCall> calls, long tokensIn, long tokensOut, int firstId) {
    StringBuilder content =
        new StringBuilder("{\"type\":\"text\",\"text\":\"Let me use the tools.\"}");
    int id = firstId;
    for (ToolCall call : calls) {
      // Anthropic sends the input as a JSON object.
      content
          .append(",{\"type\":\"tool_use\",\"id\":\"toolu_fake")
          .append(id++)
          .append("\",\"name\":")
          .append(quote(call.name()))
          .append(",\"input\":")
          .append(call.argumentsJson())
          .append('}');
    }
    return "{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + quote(model)
        + ",\"content\":["
        + content
        + "],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":"
        + tokensIn
        + ",\"output_tokens\":"
        + tokensOut
        + "}}";
  }

  @Override
  protected String errorJson(int status, String message) {
    String type =
        switch (status) {
          case 401 -> "authentication_error";
          case 403 -> "permission_error";
          case 404 -> "not_found_error";
          case 429 -> "rate_limit_error";
          case 529 -> "overloaded_error";
          default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    return "{\"type\":\"error\",\"error\":{\"type\":\""
        + type
        + "\",\"message\":"
        + quote(message)
        + "}}";
  }
}
