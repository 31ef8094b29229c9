package dev.agentos.agent;

import dev.agentos.agent.channel.AgentChannel;
import dev.agentos.agent.cli.CliAgentBackend;
import dev.agentos.agent.cli.StepSession;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.agent.tools.ToolLoopFailure;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Budgets;
import dev.agentos.worker.PhaseContext;
import java.util.function.Function;

/**
 * How a phase calls its agent: the cycle's budget is checked first (a reached limit pauses the
 * cycle instead of spending more), and again at each turn of a model's tool loop (a loop that
 * crosses it stops with the budget's reason), and the call's usage is recorded for the cycle
 * afterwards, also when the loop stopped.
 */
public final class AgentCalls {
  private AgentCalls() {}

  public static AgentResult call(PhaseContext context, AgentBackend agent, AgentRequest request) {
    return call(context, agent, request, null);
  }

  /**
   * The same, with the role's tools for a model agent. A tool loop that fails still spent tokens:
   * they are recorded before the failure goes on.
   */
  public static AgentResult call(
      PhaseContext context, AgentBackend agent, AgentRequest request, ToolAccess tools) {
    Budgets.require(context.state(), context.uncommittedUsage());
    AgentResult result;
    try {
      result =
          tools == null
              ? agent.call(request)
              : agent.call(
                  request,
                  tools.watched(
                      (soFar, latest) ->
                          Budgets.require(
                              context.state(), context.uncommittedUsage().plus(soFar))));
    } catch (ToolLoopFailure e) {
      context.recordUsage(e.usage(), e.model());
      throw e;
    }
    context.recordUsage(result.usage(), result.model());
    return result;
  }

  /**
   * The same for one plan step's agent: a CLI agent keeps its own session in the step's record, so
   * that a replica taking an interrupted step over, or the run that continues after a person's
   * answer, resumes it (see {@link StepSession}); a model agent gets the call's tools, and its
   * latest turn is kept in the step's record with the heartbeats for the attempt that follows an
   * interrupted one (see {@link StepLastOutput}). The call's channel is named to the agent in its
   * environment, and an agent process (a CLI agent or a command) is told in its prompt how to use
   * it; a model agent runs in this process and has no use for it.
   */
  public static AgentResult callForStep(
      PhaseContext context, AgentBackend agent, AgentRequest request, StepCall call) {
    AgentRequest withChannel = call.channel() == null ? request : request.with(call.channel());
    if (call.channel() != null
        && (agent instanceof CliAgentBackend || agent instanceof CommandBackend)) {
      withChannel = withChannel.withPromptNote(AgentChannel.PROMPT);
    }
    if (!(agent instanceof CliAgentBackend cli)) {
      if (call.tools() == null) {
        return call(context, agent, withChannel, null);
      }
      try (StepLastOutput output = StepLastOutput.start(context, call.stepId())) {
        return call(context, agent, withChannel, call.tools().watched(output));
      }
    }
    Budgets.require(context.state(), context.uncommittedUsage());
    AgentResult result = StepSession.call(context, cli, withChannel, call);
    context.recordUsage(result.usage(), result.model());
    return result;
  }

  /**
   * Asks for an answer in a form {@code parse} reads (a JSON plan, a critique). An answer it
   * rejects with {@link ErrorCode#AGENT_ANSWER_INVALID} is sent back once: the second request
   * carries a correction saying what was wrong. A second rejected answer fails with
   * AGENT_ANSWER_INVALID and the reason. Both calls count against the budget.
   *
   * @param request the request, given the correction to put in its prompt ("" the first time)
   * @param parse reads an answer's text; throws AGENT_ANSWER_INVALID saying what was wrong
   * @param form what the agent must answer, for the correction: "the JSON array"
   * @param what what the answer is, for the error: "plan", "critique"
   */
  public static <T> T askParsed(
      PhaseContext context,
      AgentBackend agent,
      Function<String, AgentRequest> request,
      Function<String, T> parse,
      String form,
      String what) {
    return askParsed(context, agent, null, request, parse, form, what);
  }

  /** The same, with the role's tools for a model agent ({@code tools} may be null). */
  public static <T> T askParsed(
      PhaseContext context,
      AgentBackend agent,
      ToolAccess tools,
      Function<String, AgentRequest> request,
      Function<String, T> parse,
      String form,
      String what) {
    String correction = "";
    for (int attempt = 1; ; attempt++) {
      AgentRequest asked = request.apply(correction);
      AgentResult answer = call(context, agent, asked, tools);
      try {
        return parse.apply(answer.text());
      } catch (AgentOsException e) {
        if (e.code() != ErrorCode.AGENT_ANSWER_INVALID) {
          throw e;
        }
        if (attempt == 2) {
          throw new AgentOsException(
              ErrorCode.AGENT_ANSWER_INVALID,
              "the "
                  + asked.role()
                  + " agent answered an invalid "
                  + what
                  + " twice: "
                  + e.getMessage());
        }
        correction =
            "\n## Your previous answer was rejected\n"
                + e.getMessage()
                + ". Answer again with only "
                + form
                + ".\n";
      }
    }
  }

  /** The error a parser of agent answers raises: {@code why} says what was wrong with it. */
  public static AgentOsException invalidAnswer(String why) {
    return new AgentOsException(ErrorCode.AGENT_ANSWER_INVALID, why);
  }
}
