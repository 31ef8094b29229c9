package dev.agentos.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.langchain4j.exception.HttpException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Turns what LangChain4j and the JDK HTTP client throw into an {@link AgentOsException} whose
 * message says what to do. Server replies are quoted only shortened and with anything that looks
 * like a key masked: some servers echo (part of) a refused key in their error.
 */
final class ChatFailures {
  static final int REPLY_EXCERPT_CHARS = 300;

  private static final Pattern KEY_LIKE = Pattern.compile("\\bsk-[A-Za-z0-9_*.\\-]{6,}");

  private ChatFailures() {}

  static AgentOsException map(RuntimeException failure, AgentSettings settings, Duration timeout) {
    String url = settings.displayBaseUrl();
    String role = settings.role();
    Throwable cause = Redacted.of(failure, settings.apiKey());
    HttpException http = find(failure, HttpException.class);
    if (http != null) {
      return httpFailure(
          http.statusCode(), reply(serverMessage(http.getMessage()), settings), settings, cause);
    }
    if (find(failure, HttpConnectTimeoutException.class) != null
        || find(failure, ConnectException.class) != null
        || find(failure, UnresolvedAddressException.class) != null
        || find(failure, UnknownHostException.class) != null) {
      return new AgentOsException(
          ErrorCode.AGENT_FAILED,
          "cannot reach "
              + url
              + " for role "
              + role
              + "; check "
              + settings.configKey("base-url")
              + " and that the server is running",
          cause);
    }
    if (find(failure, dev.langchain4j.exception.TimeoutException.class) != null
        || find(failure, HttpTimeoutException.class) != null
        || find(failure, SocketTimeoutException.class) != null) {
      return new AgentOsException(
          ErrorCode.AGENT_TIMEOUT,
          "model "
              + settings.model()
              + " at "
              + url
              + " did not answer role "
              + role
              + " within "
              + timeout
              + "; raise "
              + settings.configKey("timeout")
              + ", shorten the prompt or use a faster model",
          cause);
    }
    if (find(failure, InterruptedException.class) != null) {
      Thread.currentThread().interrupt();
      return new AgentOsException(ErrorCode.CANCELLED, "the agent call was interrupted", cause);
    }
    return new AgentOsException(
        ErrorCode.AGENT_FAILED,
        "the call of model "
            + settings.model()
            + " at "
            + url
            + " for role "
            + role
            + " failed: "
            + reply(String.valueOf(rootOf(failure)), settings),
        cause);
  }

  private static AgentOsException httpFailure(
      int status, String reply, AgentSettings settings, Throwable cause) {
    String url = settings.displayBaseUrl();
    String role = settings.role();
    String answered = url + " answered HTTP " + status + " (" + reply + ")";
    String message;
    ErrorCode code = ErrorCode.AGENT_FAILED;
    if (status == 401 || status == 403) {
      message =
          settings.hasApiKey()
              ? "the API key for role "
                  + role
                  + " was refused by "
                  + url
                  + " (HTTP "
                  + status
                  + "); check "
                  + settings.apiKeyVariable()
                  + " ("
                  + settings.configKey("api-key")
                  + ")"
              : "role "
                  + role
                  + " sent no API key and "
                  + url
                  + " refused the call (HTTP "
                  + status
                  + "); set "
                  + settings.apiKeyVariable()
                  + " ("
                  + settings.configKey("api-key")
                  + ")";
    } else if (status == 404) {
      message =
          answered
              + " for model "
              + settings.model()
              + "; check "
              + settings.configKey("model")
              + " and "
              + settings.configKey("base-url")
              + (settings.backend() == Backend.OLLAMA
                  ? " (is the model pulled? `ollama pull " + settings.model() + "`)"
                  : settings.backend() == Backend.OPENAI
                      ? " (an OpenAI-compatible base URL usually ends in /v1)"
                      : "");
    } else if (status == 408) {
      code = ErrorCode.AGENT_TIMEOUT;
      message = answered + "; the call took too long for the server, try again later";
    } else if (status == 429) {
      message =
          answered
              + ": rate limited or out of quota; the step can be retried later, or lower the"
              + " number of "
              + role
              + " replicas, or raise the account's limits";
    } else if (status >= 500) {
      message =
          answered
              + ": the server failed, not the request; the step can be retried, and if it"
              + " persists check the server's status";
    } else {
      message =
          answered
              + ": the request for model "
              + settings.model()
              + " was rejected; check "
              + settings.configKey("model")
              + ", "
              + settings.configKey("max-tokens")
              + " and "
              + settings.configKey("temperature");
    }
    return new AgentOsException(code, message, cause);
  }

  /**
   * The message inside an error reply: OpenAI and Anthropic send {@code {"error":{"message"}}},
   * Ollama {@code {"error":"..."}}; anything else is quoted as it came.
   */
  static String serverMessage(String body) {
    if (body == null || !body.strip().startsWith("{")) {
      return body;
    }
    try {
      JsonNode reply = Json.mapper().readTree(body);
      JsonNode error = reply.path("error");
      if (error.path("message").isTextual()) {
        return error.path("message").asText();
      }
      if (error.isTextual()) {
        return error.asText();
      }
      return reply.path("message").isTextual() ? reply.path("message").asText() : body;
    } catch (JsonProcessingException e) {
      return body;
    }
  }

  /** A server's reply or an error text, shortened and with keys masked. */
  static String reply(String text, AgentSettings settings) {
    String masked = mask(text == null ? "" : text.strip(), settings.apiKey());
    masked = masked.replaceAll("\\s+", " ");
    return masked.length() <= REPLY_EXCERPT_CHARS
        ? masked
        : masked.substring(0, REPLY_EXCERPT_CHARS) + "…";
  }

  static String mask(String text, String apiKey) {
    if (text == null) {
      return null;
    }
    String masked = apiKey == null ? text : text.replace(apiKey, "****");
    return KEY_LIKE.matcher(masked).replaceAll("sk-****");
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static Throwable rootOf(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /**
   * A copy of a failure chain with keys masked in every message, keeping the classes' names and
   * stack traces, so that logging the cause of an AgentOsException cannot print a key.
   */
  static final class Redacted extends RuntimeException {
    private Redacted(String message, Throwable cause) {
      super(message, cause);
    }

    static Throwable of(Throwable failure, String apiKey) {
      if (failure == null) {
        return null;
      }
      Redacted copy =
          new Redacted(
              failure.getClass().getName() + ": " + mask(failure.getMessage(), apiKey),
              failure.getCause() == failure ? null : of(failure.getCause(), apiKey));
      copy.setStackTrace(failure.getStackTrace());
      return copy;
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
