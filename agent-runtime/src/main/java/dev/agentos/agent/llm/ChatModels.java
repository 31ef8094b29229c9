package dev.agentos.agent.llm;

import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.AgentSettings.Backend;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Map;

/** Builds the LangChain4j chat model for a role's settings. */
final class ChatModels {
  private ChatModels() {}

  /**
   * A model whose HTTP calls give up after {@code timeout}. LangChain4j's own retries are off: a
   * failed call fails the step, and the phase worker decides whether to try again.
   */
  static ChatModel create(AgentSettings settings, Duration timeout) {
    Backend backend = settings.backend();
    return switch (backend) {
      case OPENAI -> openAi(settings, timeout);
      case ANTHROPIC -> anthropic(settings, timeout);
      case OLLAMA -> ollama(settings, timeout);
      case COMMAND, CLAUDE_CODE, CODEX, GEMINI_CLI, AIDER, NOOP ->
          throw new IllegalArgumentException(
              "a " + backend.configName() + " agent has no chat model");
    };
  }

  private static ChatModel openAi(AgentSettings settings, Duration timeout) {
    OpenAiChatModel.OpenAiChatModelBuilder builder =
        OpenAiChatModel.builder()
            .baseUrl(settings.effectiveBaseUrl())
            .apiKey(settings.apiKey())
            .modelName(settings.model())
            .temperature(settings.temperature())
            .timeout(timeout)
            .maxRetries(0);
    // OpenAI itself wants max_completion_tokens (its reasoning models reject max_tokens); the
    // other OpenAI-compatible servers (vLLM, LM Studio, Ollama, OpenRouter) all read max_tokens.
    if (settings.effectiveBaseUrl().equals(trimmed(Backend.OPENAI.defaultBaseUrl()))) {
      builder.maxCompletionTokens(settings.maxTokens());
    } else {
      builder.maxTokens(settings.maxTokens());
    }
    return builder.build();
  }

  private static ChatModel anthropic(AgentSettings settings, Duration timeout) {
    AnthropicChatModel.AnthropicChatModelBuilder builder =
        AnthropicChatModel.builder()
            // The client appends "messages" to the base URL, so it must end with a slash.
            .baseUrl(settings.effectiveBaseUrl() + "/")
            .apiKey(settings.apiKey())
            .modelName(settings.model())
            .temperature(settings.temperature())
            .timeout(timeout)
            .maxRetries(0);
    if (settings.maxTokens() != null) {
      builder.maxTokens(settings.maxTokens());
    }
    return builder.build();
  }

  private static ChatModel ollama(AgentSettings settings, Duration timeout) {
    OllamaChatModel.OllamaChatModelBuilder builder =
        OllamaChatModel.builder()
            .maxRetries(0)
            .baseUrl(settings.effectiveBaseUrl())
            .modelName(settings.model())
            .temperature(settings.temperature())
            .numPredict(settings.maxTokens())
            .timeout(timeout);
    if (settings.hasApiKey()) {
      // Ollama has no auth of its own; a key is for a proxy in front of it.
      builder.customHeaders(Map.of("Authorization", "Bearer " + settings.apiKey()));
    }
    return builder.build();
  }

  private static String trimmed(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
