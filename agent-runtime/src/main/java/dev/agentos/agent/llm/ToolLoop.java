package dev.agentos.agent.llm;

import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.tools.LoopWatch;
import dev.agentos.agent.tools.ToolLoopFailure;
import dev.agentos.agent.tools.ToolSettings;
import dev.agentos.agent.tools.Toolbox;
import dev.agentos.agent.tools.Transcript;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Usage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A model agent at work: the prompt goes out with the role's tools, every tool call the model makes
 * is carried out and its result sent back, turn after turn, until the model answers without a tool
 * call — or a limit of its profile is reached (turns, tokens, time), which fails the call with the
 * reason. Tokens are summed over every turn; the transcript keeps each call and result. After each
 * turn that called tools, the {@link LoopWatch} sees what the loop used so far and what the turn
 * did: it may stop the loop (a cycle budget crossed mid-step), which then fails with its reason.
 */
final class ToolLoop {
  /** Prices the tokens a loop used; the backend knows the model's price. */
  @FunctionalInterface
  interface Pricer {
    Usage usage(long tokensIn, long tokensOut, double seconds, String model);
  }

  private final ChatModel model;
  private final AgentSettings settings;
  private final ToolSettings limits;
  private final String limitsKey;
  private final Pricer pricer;

  /**
   * @param limitsKey where the limits are configured, for messages ({@code
   *     agentos.profiles.local.tools})
   */
  ToolLoop(
      ChatModel model,
      AgentSettings settings,
      ToolSettings limits,
      String limitsKey,
      Pricer pricer) {
    this.model = model;
    this.settings = settings;
    this.limits = limits;
    this.limitsKey = limitsKey;
    this.pricer = pricer;
  }

  /** What the loop ended with. */
  record Outcome(String text, Usage usage, String answeredBy, int turns, String transcript) {}

  /** The most of one turn the watch is shown: the state keeps it for a retry's prompt. */
  static final int LATEST_CHARS = 2000;

  Outcome run(String prompt, Toolbox tools, LoopWatch watch, Duration callTimeout) {
    Tally tally = new Tally(new Transcript().prompt(prompt), settings.model());
    long deadline = tally.started + limits.maxTime().toNanos();
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(UserMessage.from(prompt + tools.guide()));
    for (int turn = 1; turn <= limits.maxTurns(); turn++) {
      if (Thread.currentThread().isInterrupted()) {
        throw tally.failure(ErrorCode.CANCELLED, "the agent call was interrupted", null);
      }
      if (System.nanoTime() > deadline) {
        throw tally.failure(
            ErrorCode.AGENT_TIMEOUT,
            limitReached("ran for more than " + limits.maxTime(), "max-time", turn - 1),
            null);
      }
      ChatResponse response;
      try {
        response =
            model.chat(
                ChatRequest.builder()
                    .messages(messages)
                    .toolSpecifications(tools.specifications())
                    .build());
      } catch (RuntimeException e) {
        AgentOsException mapped = ChatFailures.map(e, settings, callTimeout);
        throw tally.failure(mapped.code(), mapped.getMessage(), mapped.getCause());
      }
      int turnStart = tally.transcript.mark();
      AiMessage answer = tally.add(turn, response);
      if (answer == null || !answer.hasToolExecutionRequests()) {
        String text = answer == null ? null : answer.text();
        if (text == null || text.isBlank()) {
          throw tally.failure(
              ErrorCode.AGENT_FAILED,
              ChatModelBackend.noText(settings, response.finishReason()) + " at turn " + turn,
              null);
        }
        tally.transcript.end("answered after " + turn + " turn(s)");
        return new Outcome(text, tally.usage(), tally.answeredBy, turn, tally.transcript.text());
      }
      if (tally.tokens() >= limits.maxTokens()) {
        throw tally.failure(
            ErrorCode.AGENT_FAILED,
            limitReached(
                "used " + tally.tokens() + " tokens (the limit is " + limits.maxTokens() + ")",
                "max-tokens",
                turn),
            null);
      }
      messages.add(answer);
      for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
        Toolbox.Result result = tools.execute(call);
        tally.transcript.call(call, result);
        messages.add(
            ToolExecutionResultMessage.builder()
                .id(call.id())
                .toolName(call.name())
                .text(result.text())
                .isError(result.error() ? Boolean.TRUE : null)
                .build());
      }
      String latest = Transcript.trim(tally.transcript.since(turnStart), LATEST_CHARS);
      try {
        watch.turn(tally.usage(), latest);
      } catch (AgentOsException e) {
        throw tally.failure(e.code(), e.getMessage(), e);
      }
    }
    throw tally.failure(
        ErrorCode.AGENT_FAILED,
        limitReached(
            "took " + limits.maxTurns() + " turns without a final answer",
            "max-turns",
            limits.maxTurns()),
        null);
  }

  private String limitReached(String what, String key, int turns) {
    return "the "
        + settings.role()
        + " model "
        + settings.model()
        + " "
        + what
        + " ("
        + turns
        + " turn(s) done); it was stopped. Give it a smaller step, or raise "
        + limitsKey
        + "."
        + key;
  }

  /** What one run used and did so far: its tokens, time, answering model and transcript. */
  private final class Tally {
    final long started = System.nanoTime();
    final Transcript transcript;
    String answeredBy;
    long tokensIn;
    long tokensOut;

    Tally(Transcript transcript, String model) {
      this.transcript = transcript;
      this.answeredBy = model;
    }

    /** Counts a turn's tokens and notes it; returns the model's message. */
    AiMessage add(int turn, ChatResponse response) {
      TokenUsage usage = response.tokenUsage();
      long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
      long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
      tokensIn += in;
      tokensOut += out;
      if (response.modelName() != null) {
        answeredBy = response.modelName();
      }
      AiMessage answer = response.aiMessage();
      transcript.turn(turn, in, out, answer == null ? null : answer.text());
      return answer;
    }

    long tokens() {
      return tokensIn + tokensOut;
    }

    Usage usage() {
      return pricer.usage(tokensIn, tokensOut, (System.nanoTime() - started) / 1e9, answeredBy);
    }

    ToolLoopFailure failure(ErrorCode code, String message, Throwable cause) {
      transcript.end("stopped: " + message);
      return new ToolLoopFailure(code, message, cause, usage(), answeredBy, transcript.text());
    }
  }
}
