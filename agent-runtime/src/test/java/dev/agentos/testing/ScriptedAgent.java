package dev.agentos.testing;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The test agent of every role's tests: plays its script, one entry per call, and keeps every
 * request it was sent. A call beyond the script fails the test.
 *
 * <p>It lives in agent-runtime's test-jar rather than in test-support: it is an {@link
 * AgentBackend}, and test-support cannot depend on agent-runtime, whose own tests use test-support.
 */
public final class ScriptedAgent implements AgentBackend {
  private static final String MODEL = "fake-model";

  private final List<AgentRequest> requests = new ArrayList<>();
  private final Iterator<Function<AgentRequest, AgentResult>> script;
  private final Function<AgentRequest, AgentResult> afterScript;

  @SafeVarargs
  public ScriptedAgent(Function<AgentRequest, AgentResult>... script) {
    this(List.of(script), null);
  }

  private ScriptedAgent(
      List<Function<AgentRequest, AgentResult>> script,
      Function<AgentRequest, AgentResult> afterScript) {
    this.script = script.iterator();
    this.afterScript = afterScript;
  }

  /** Answers the first call with the first text, the second with the second, and so on. */
  public static ScriptedAgent answering(Usage usage, String... answers) {
    return new ScriptedAgent(
        Arrays.stream(answers).map(text -> answer(text, usage)).toList(), null);
  }

  /** Answers every call with the same text. */
  public static ScriptedAgent always(Usage usage, String answer) {
    return new ScriptedAgent(List.of(), answer(answer, usage));
  }

  /** A script entry: the agent answers {@code text}, having used {@code usage}. */
  public static Function<AgentRequest, AgentResult> answer(String text, Usage usage) {
    return request -> new AgentResult(text, 0, usage, MODEL);
  }

  /** A script entry: the call fails as a backend fails. */
  public static Function<AgentRequest, AgentResult> fail(ErrorCode code, String message) {
    return request -> {
      throw new AgentOsException(code, message);
    };
  }

  /** Every request, in the order it came. */
  public synchronized List<AgentRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public AgentResult call(AgentRequest request) {
    Function<AgentRequest, AgentResult> next;
    synchronized (this) {
      requests.add(request);
      if (script.hasNext()) {
        next = script.next();
      } else if (afterScript != null) {
        next = afterScript;
      } else {
        throw new AssertionError(
            "the agent was called more often than scripted: call " + requests.size());
      }
    }
    return next.apply(request);
  }

  @Override
  public String describe() {
    return "scripted";
  }
}
