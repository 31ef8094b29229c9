package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.testing.ScriptedAgent;
import dev.agentos.worker.DetachedPhaseContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ask, parse, and send a malformed answer back once: the loop planner and review share. */
class AgentCallsTest {
  private static final Usage USAGE = new Usage(10, 5, 0.0, 1.0);
  private static final Path WORKSPACE = Path.of("/tmp");

  private final DetachedPhaseContext context =
      new DetachedPhaseContext(
          new CycleState.Builder()
              .cycleId("c-1")
              .project("shop")
              .workspace(Workspace.atPath(WORKSPACE.toString()))
              .build(),
          WORKSPACE);

  @Test
  void usesAnAnswerThatParses() {
    ScriptedAgent agent = ScriptedAgent.answering(USAGE, "42");

    assertEquals(42, ask(agent));
    assertEquals(1, agent.requests().size());
    assertEquals("", agent.requests().get(0).prompt(), "no correction the first time");
  }

  @Test
  void sendsARejectedAnswerBackOnceSayingWhatWasWrong() {
    ScriptedAgent agent = ScriptedAgent.answering(USAGE, "forty-two", "42");

    assertEquals(42, ask(agent));
    assertEquals(
        "\n## Your previous answer was rejected\n'forty-two' is not a number. Answer again with"
            + " only the number.\n",
        agent.requests().get(1).prompt());
    assertEquals(List.of(USAGE, USAGE), context.usage(), "both calls count");
  }

  @Test
  void aSecondRejectedAnswerIsAgentAnswerInvalidWithTheReason() {
    ScriptedAgent agent = ScriptedAgent.answering(USAGE, "one", "two");

    AgentOsException e = assertThrows(AgentOsException.class, () -> ask(agent));

    assertEquals(ErrorCode.AGENT_ANSWER_INVALID, e.code());
    assertEquals(
        "the planner agent answered an invalid count twice: 'two' is not a number", e.getMessage());
    assertEquals(2, agent.requests().size());
  }

  @Test
  void anyOtherFailureIsNotRetried() {
    ScriptedAgent agent =
        new ScriptedAgent(ScriptedAgent.fail(ErrorCode.AGENT_TIMEOUT, "took too long"));

    AgentOsException e = assertThrows(AgentOsException.class, () -> ask(agent));

    assertEquals(ErrorCode.AGENT_TIMEOUT, e.code());
    assertEquals(1, agent.requests().size());
  }

  private int ask(ScriptedAgent agent) {
    return AgentCalls.askParsed(
        context,
        agent,
        correction ->
            new AgentRequest("planner", correction, WORKSPACE, Duration.ofSeconds(5), Map.of()),
        AgentCallsTest::parse,
        "the number",
        "count");
  }

  private static int parse(String answer) {
    try {
      return Integer.parseInt(answer);
    } catch (NumberFormatException e) {
      throw AgentCalls.invalidAnswer("'" + answer + "' is not a number");
    }
  }
}
