package dev.agentos.agent.llm;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.PriceTable;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.agent.tools.ToolSettings;
import dev.agentos.agent.tools.Toolbox;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.Usage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A chat model behind an API (OpenAI-compatible, Anthropic or Ollama), called through LangChain4j
 * with the whole prompt as one user message. Given the role's tools, it works in a {@link ToolLoop}
 * (unless its profile says it cannot call tools). The answer carries the token usage the server
 * reported, summed over the turns, and its cost from the {@link PriceTable}.
 */
public final class ChatModelBackend implements AgentBackend {
  private static final Logger LOG = Logger.getLogger(ChatModelBackend.class);

  private final AgentSettings settings;
  private final PriceTable prices;
  private final ToolSettings tools;
  private final String toolsKey;
  // The HTTP timeout is fixed when a model is built; requests name few distinct timeouts.
  private final Map<Duration, ChatModel> models = new ConcurrentHashMap<>();
  private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();

  /**
   * @throws AgentOsException INVALID_REQUEST when the settings cannot work (see {@link
   *     AgentSettings#validated()}) or name the command backend
   */
  public ChatModelBackend(AgentSettings settings, PriceTable prices) {
    this(settings, prices, ToolSettings.DEFAULT, "agentos.agents." + settings.role() + ".tools");
  }

  /**
   * A model that works with tools within {@code tools}, configured under {@code toolsKey} (named in
   * the messages of a limit reached).
   */
  public ChatModelBackend(
      AgentSettings settings, PriceTable prices, ToolSettings tools, String toolsKey) {
    this.tools = tools.validated(toolsKey);
    this.toolsKey = toolsKey;
    this.settings = settings.validated();
    if (!settings.backend().isChat()) {
      throw AgentOsException.invalid(
          settings.configKey("backend")
              + "="
              + settings.backend().configName()
              + " is not a chat model; use AgentBackends.create");
    }
    this.prices = prices == null ? PriceTable.EMPTY : prices;
  }

  @Override
  public AgentResult call(AgentRequest request) {
    if (request.prompt() == null || request.prompt().isBlank()) {
      throw AgentOsException.invalid("the prompt for role " + settings.role() + " is empty");
    }
    Duration timeout = request.timeout() != null ? request.timeout() : settings.timeout();
    ChatModel model = models.computeIfAbsent(timeout, t -> ChatModels.create(settings, t));
    long started = System.nanoTime();
    ChatResponse response;
    try {
      response =
          model.chat(ChatRequest.builder().messages(UserMessage.from(request.prompt())).build());
    } catch (RuntimeException e) {
      throw ChatFailures.map(e, settings, timeout);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String cycle = cycleOf(request);
    String text = response.aiMessage() == null ? null : response.aiMessage().text();
    if (text == null || text.isBlank()) {
      throw new AgentOsException(
          ErrorCode.AGENT_FAILED,
          noText(settings, response.finishReason())
              + "; try again, or raise "
              + settings.configKey("max-tokens"));
    }
    if (response.finishReason() == FinishReason.LENGTH) {
      LOG.warnf(
          "cycle=%s role=%s model=%s answer was cut at the token limit; raise %s",
          cycle, settings.role(), settings.model(), settings.configKey("max-tokens"));
    }
    String answeredBy = response.modelName() != null ? response.modelName() : settings.model();
    long tokensIn = count(response.tokenUsage(), true);
    long tokensOut = count(response.tokenUsage(), false);
    return new AgentResult(
        text, 0, usage(cycle, tokensIn, tokensOut, seconds, answeredBy), answeredBy);
  }

  /** The usage of a call, costed with the price of the model that answered (or the configured). */
  private Usage usage(
      String cycle, long tokensIn, long tokensOut, double seconds, String answeredBy) {
    Optional<PriceTable.Price> price =
        prices.price(answeredBy).or(() -> prices.price(settings.model()));
    if (price.isEmpty() && unpricedWarned.add(answeredBy)) {
      LOG.warnf(
          "cycle=%s role=%s model=%s has no price in the price table; its cost is counted as 0",
          cycle, settings.role(), answeredBy);
    }
    double cost = price.map(p -> p.cost(tokensIn, tokensOut)).orElse(0d);
    return new Usage(tokensIn, tokensOut, cost, seconds);
  }

  @Override
  public AgentResult call(AgentRequest request, ToolAccess access) {
    if (access == null || !tools.calling()) {
      return call(request);
    }
    if (request.prompt() == null || request.prompt().isBlank()) {
      throw AgentOsException.invalid("the prompt for role " + settings.role() + " is empty");
    }
    Duration timeout = request.timeout() != null ? request.timeout() : settings.timeout();
    ChatModel model = models.computeIfAbsent(timeout, t -> ChatModels.create(settings, t));
    Toolbox toolbox = Toolbox.of(access, tools, ProcessLauncher.standard());
    ToolLoop.Outcome outcome =
        new ToolLoop(
                model,
                settings,
                tools,
                toolsKey,
                (in, out, seconds, answeredBy) ->
                    usage(cycleOf(request), in, out, seconds, answeredBy))
            .run(request.prompt(), toolbox, access.watch(), timeout);
    LOG.debugf(
        "cycle=%s role=%s model=%s answered after %d turn(s)",
        cycleOf(request), settings.role(), outcome.answeredBy(), outcome.turns());
    return new AgentResult(
        outcome.text(), 0, outcome.usage(), outcome.answeredBy(), outcome.transcript());
  }

  @Override
  public boolean actsOnWorkspace() {
    return tools.calling();
  }

  /** The profile's tool settings. */
  public ToolSettings tools() {
    return tools;
  }

  @Override
  public String describe() {
    String priced =
        prices
            .price(settings.model())
            .map(
                p ->
                    String.format(
                        java.util.Locale.ROOT,
                        "$%.2f/$%.2f per 1M tokens in/out",
                        p.inputPerMillion(),
                        p.outputPerMillion()))
            .orElse("no price for " + settings.model() + " in the price table: cost counted as 0");
    return settings.backend().configName()
        + " "
        + settings.model()
        + " at "
        + settings.displayBaseUrl()
        + " for role "
        + settings.role()
        + " ("
        + (settings.hasApiKey() ? "API key set" : "no API key")
        + "; "
        + priced
        + "; "
        + (tools.calling()
            ? "tools: up to "
                + tools.maxTurns()
                + " turns"
                + (tools.run().isEmpty() ? "" : ", run " + tools.run())
            : "no tool calling")
        + ")";
  }

  /** The start of the message of an answer without text (nor, in a tool loop, a tool call). */
  static String noText(AgentSettings settings, FinishReason reason) {
    return "model "
        + settings.model()
        + " at "
        + settings.displayBaseUrl()
        + " answered role "
        + settings.role()
        + " with no text nor tool call (finish reason "
        + reason
        + ")";
  }

  private static long count(TokenUsage usage, boolean input) {
    if (usage == null) {
      return 0;
    }
    Integer count = input ? usage.inputTokenCount() : usage.outputTokenCount();
    return count == null ? 0 : count;
  }

  private static String cycleOf(AgentRequest request) {
    return request.environment() == null ? null : request.environment().get(AgentRequest.CYCLE_ID);
  }
}
