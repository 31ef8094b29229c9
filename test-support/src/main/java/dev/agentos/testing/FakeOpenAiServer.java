package dev.agentos.testing;

import java.util.List;

/**
 * A fake OpenAI-compatible server ({@code POST /v1/chat/completions}), the wire format OpenAI,
 * vLLM, LM Studio, OpenRouter and Ollama's {@code /v1} share.
 */
public final class FakeOpenAiServer extends FakeModelServer {
  public static final String PATH = "/v1/chat/completions";

  public FakeOpenAiServer() {
    super(PATH);
  }

  @Override
  public String baseUrl() {
    return root() + "/v1";
  }

  @Override
  protected String answerJson(String model, String text, long tokensIn, long tokensOut) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1767225600,"
        + "\"model\":"
        + quote(model)
        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + quote(text)
        + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
        + tokensIn
        + ",\"completion_tokens\":"
        + tokensOut
        + ",\"total_tokens\":"
        + (tokensIn + tokensOut)
        + "}}";
  }

  @Override
  protected String toolCallsJson(
      String model, List<ToolCall> calls, long tokensIn, long tokensOut, int firstId) {
    StringBuilder toolCalls = new StringBuilder();
    int id = firstId;
    for (ToolCall call : calls) {
      if (toolCalls.length() > 0) {
        toolCalls.append(',');
      }
      // OpenAI sends the arguments as a string holding JSON.
      toolCalls
          .append("{\"id\":\"call_")
          .append(id++)
          .append("\",\"type\":\"function\",\"function\":{\"name\":")
          .append(quote(call.name()))
          .append(",\"arguments\":")
          .append(quote(call.argumentsJson()))
          .append("}}");
    }
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1767225600,"
        + "\"model\":"
        + quote(model)
        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":["
        + toolCalls
        + "]},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":"
        + tokensIn
        + ",\"completion_tokens\":"
        + tokensOut
        + ",\"total_tokens\":"
        + (tokensIn + tokensOut)
        + "}}";
  }

  @Override
  protected String errorJson(int status, String message) {
    return "{\"error\":{\"message\":"
        + quote(message)
        + ",\"type\":\"fake_error\",\"code\":"
        + status
        + "}}";
  }
}
