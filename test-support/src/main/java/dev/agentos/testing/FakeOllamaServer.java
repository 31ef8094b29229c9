package dev.agentos.testing;

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
  protected String errorJson(int status, String message) {
    return "{\"error\":" + quote(message) + "}";
  }
}
