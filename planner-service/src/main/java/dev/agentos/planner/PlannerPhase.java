package dev.agentos.planner;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.spec.SpecFolder;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * PLAN: turns the task into an ordered plan. A spec folder with a tasks.md is planned from its
 * unfinished tasks, no model needed. A goal is planned by the planner's agent, whose answer must be
 * a JSON list of steps; a malformed answer is sent back once with what was wrong, then the phase
 * fails with the reason. Without a planner agent a goal becomes a single step.
 */
public final class PlannerPhase implements PhaseLogic {
  private final Function<CycleState, Optional<AgentBackend>> agents;
  private final Duration timeout;
  private final PromptTemplate goalTemplate = PromptTemplate.load("plan-goal");

  public PlannerPhase(Function<CycleState, Optional<AgentBackend>> agents, Duration timeout) {
    this.agents = agents;
    this.timeout = timeout;
  }

  @Override
  public Phase phase() {
    return Phase.PLAN;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    return plan(context);
  }

  /** Plans the context's cycle; also used by {@code agentos.planner.plan}, outside any cycle. */
  public PhaseOutcome plan(PhaseContext context) {
    CycleState state = context.state();
    List<FeedbackItem> feedback = state.currentIteration().feedbackIn();
    if (state.spec() != null) {
      SpecFolder spec = SpecFolder.read(context.workspace(), state.spec());
      if (spec.tasks().isPresent()) {
        return new PhaseOutcome.Planned(SpecPlan.of(spec.tasks().get(), feedback));
      }
      if (state.goal() == null) {
        return new PhaseOutcome.Failed(
            ErrorCode.PLAN_INVALID,
            "spec "
                + state.spec()
                + " has no tasks.md; add one (a checkbox list) or submit a goal instead");
      }
    }
    Optional<AgentBackend> agent = agents.apply(state);
    if (agent.isEmpty()) {
      return new PhaseOutcome.Planned(
          Plan.of(
              "goal",
              List.of(PlanStep.of("1", "Achieve the goal", state.goal(), null)),
              List.of("no planner agent is configured, so the goal is one step")));
    }
    return planGoal(context, agent.get(), feedback);
  }

  private PhaseOutcome planGoal(
      PhaseContext context, AgentBackend agent, List<FeedbackItem> feedback) {
    String correction = "";
    for (int attempt = 1; attempt <= 2; attempt++) {
      AgentResult answer = AgentCalls.call(context, agent, request(context, feedback, correction));
      try {
        return new PhaseOutcome.Planned(GoalPlan.parse(answer.text()));
      } catch (AgentOsException e) {
        if (e.code() != ErrorCode.PLAN_INVALID) {
          throw e;
        }
        correction =
            "\n## Your previous answer was rejected\n"
                + e.getMessage()
                + ". Answer again with only the JSON array.\n";
        if (attempt == 2) {
          return new PhaseOutcome.Failed(
              ErrorCode.PLAN_INVALID,
              "the planner agent answered an invalid plan twice: " + e.getMessage());
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private AgentRequest request(
      PhaseContext context, List<FeedbackItem> feedback, String correction) {
    CycleState state = context.state();
    StringBuilder fix = new StringBuilder();
    if (!feedback.isEmpty()) {
      fix.append("\n## Review asked the previous iteration to fix (plan only this)\n");
      feedback.forEach(item -> fix.append("- ").append(FeedbackText.of(item)).append('\n'));
    }
    String prompt =
        goalTemplate.render(
            Map.of(
                "cycle_id", state.cycleId(),
                "iteration", Integer.toString(state.iteration()),
                "goal", state.goal(),
                "feedback", fix.toString(),
                "correction", correction));
    return new AgentRequest(
        Phase.PLAN.role(),
        prompt,
        context.workspace(),
        timeout,
        Map.of(
            AgentRequest.CYCLE_ID, state.cycleId(),
            AgentRequest.ATTEMPT, Integer.toString(context.attempt()),
            AgentRequest.ROLE, Phase.PLAN.role()));
  }
}
