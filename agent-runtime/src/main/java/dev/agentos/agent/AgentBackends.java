package dev.agentos.agent;

import dev.agentos.agent.cli.CliAgentBackend;
import dev.agentos.agent.llm.ChatModelBackend;
import dev.agentos.process.ProcessLauncher;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the backend a role's settings describe. */
public final class AgentBackends {
  private AgentBackends() {}

  /**
   * The backend for {@code settings}, with costs from {@code prices}. A request without a timeout
   * of its own gets the settings' timeout.
   *
   * @throws dev.agentos.error.AgentOsException INVALID_REQUEST naming the setting to fix, e.g.
   *     "agentos.agents.review.backend=openai needs agentos.agents.review.model"
   */
  public static AgentBackend create(AgentSettings settings, PriceTable prices) {
    return create(settings, prices, List.of());
  }

  /**
   * The same, for a command agent that may receive the service's environment variables named in
   * {@code environment} (a profile's key, say) and nothing else of the service's environment.
   */
  public static AgentBackend create(
      AgentSettings settings, PriceTable prices, Collection<String> environment) {
    return create(settings, prices, environment, ModelTools.DEFAULT);
  }

  /** The same, with how a model agent works with tools (a command agent brings its own). */
  public static AgentBackend create(
      AgentSettings settings, PriceTable prices, Collection<String> environment, ModelTools tools) {
    AgentSettings valid = settings.validated();
    if (valid.backend() == AgentSettings.Backend.COMMAND) {
      return new DefaultTimeout(
          new CommandBackend(
              valid.command(),
              valid.promptMode(),
              Map.of(AgentRequest.ROLE, valid.role()),
              ProcessLauncher.standard().allowedEnv(Set.copyOf(environment))),
          valid);
    }
    if (valid.backend() == AgentSettings.Backend.NOOP) {
      return new NoopBackend(valid.role());
    }
    if (valid.backend().isCliPreset()) {
      // Not wrapped: the executor asks for a CliAgentBackend to resume its session after a crash.
      return new CliAgentBackend(
          valid,
          prices,
          Map.of(AgentRequest.ROLE, valid.role()),
          ProcessLauncher.standard().allowedEnv(Set.copyOf(environment)));
    }
    return new ChatModelBackend(valid, prices, tools.settings(), tools.key());
  }

  /** Fills in the configured timeout for a request that names none. */
  private record DefaultTimeout(AgentBackend delegate, AgentSettings settings)
      implements AgentBackend {
    @Override
    public AgentResult call(AgentRequest request) {
      if (request.timeout() != null) {
        return delegate.call(request);
      }
      return delegate.call(
          new AgentRequest(
              request.role(),
              request.prompt(),
              request.workspace(),
              settings.timeout(),
              request.environment() == null ? Map.of() : request.environment()));
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
