package dev.agentos.testing;

import java.util.List;

/** A fake Ollama server speaking the native API ({@code POST /api/chat}, not streamed). */
public final class FakeOllamaServer extends FakeModelServer {
  public static final String PATH = "/api/chat";

  public FakeOllamaServer() {
    super(PATH);
  }

  @Override
  public String baseUrl() {
    return root();
  }

  @Override
  protected String answerJson(String model, String text, long tokensIn, long tokensOut) {
    return "{\"model\":"
        + quote(model)
        + ",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":"
        + quote(text)
        + "},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1000000,"
        + "\"prompt_eval_count\":"
        + tokensIn
        + ",\"eval_count\":"
        + tokensOut
        + "}";
  }

  @Override
  protected String toolCallsJson(
      String model, List<ToolCall> calls, long tokensIn, long tokensOut, int firstId) {
    StringBuilder toolCalls = new StringBuilder();
    for (ToolCall call : calls) {
      if (toolCalls.length() > 0) {
        toolCalls.append(',');
      }
      // Ollama sends the arguments as a JSON object, and no call id.
      toolCalls
          .append("{\"function\":{\"name\":")
          .append(quote(call.name()))
          .append(",\"arguments\":")
          .append(call.argumentsJson())
          .append("}}");
    }
    return "{\"model\":"
        + quote(model)
        + ",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"\",\"tool_calls\":["
        + toolCalls
        + "]},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1000000,"
        + "\"prompt_eval_count\":"
        + tokensIn
        + ",\"eval_count\":"
        + tokensOut
        + "}";
  }

  @Override
  protected String errorJson(int status, String message) {
    return "{\"error\":" + quote(message) + "}";
  }
}
