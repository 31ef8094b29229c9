package dev.agentos.planner;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.instruction.Instruction;
import dev.agentos.prompt.CycleProgress;
import dev.agentos.prompt.PromptSection;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.spec.SpecFolder;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepGraph;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PLAN: turns the task into an ordered plan. A spec folder with a tasks.md is planned from its
 * unfinished tasks, no model needed. A goal is planned by the planner's agent, whose answer must be
 * a JSON list of steps; a malformed answer is sent back once with what was wrong, then the phase
 * fails with the reason. Without a planner agent a goal becomes a single step. From the second
 * iteration on, only what Review asked to fix is planned.
 */
public final class PlannerPhase implements PhaseLogic {
  static final String DEFAULT_INTRO =
      "You are the PLAN agent of an Agent OS PEER cycle. Turn the goal below into an ordered plan"
          + " of small, verifiable steps that an engineering agent can carry out one at a time in"
          + " the repository.";

  private final RoleAgent role;
  private final PromptTemplate goalTemplate = PromptTemplate.load("plan-goal");

  public PlannerPhase(RoleAgent role) {
    this.role = role;
  }

  @Override
  public Phase phase() {
    return Phase.PLAN;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    return plan(context);
  }

  /**
   * Plans the context's cycle; also used by {@code agentos.planner.plan}, outside any cycle. A plan
   * whose steps do not make a valid graph (a dependency loop, a dependency on no step of the plan)
   * is refused as PLAN_INVALID with what was wrong: no executor ever sees it.
   */
  public PhaseOutcome plan(PhaseContext context) {
    PhaseOutcome outcome = planned(context);
    if (outcome instanceof PhaseOutcome.Planned planned) {
      try {
        StepGraph.of(planned.plan());
      } catch (AgentOsException e) {
        return new PhaseOutcome.Failed(
            ErrorCode.PLAN_INVALID, "the plan is not valid: " + e.getMessage());
      }
    }
    return outcome;
  }

  private PhaseOutcome planned(PhaseContext context) {
    Instruction instruction = role.instruction(context);
    CycleState state = context.state();
    List<FeedbackItem> feedback = state.currentIteration().feedbackIn();
    if (instruction.plan() == Instruction.PlanMode.STEPS) {
      return new PhaseOutcome.Planned(
          feedback.isEmpty() ? stepsOf(instruction, state) : feedbackPlan(feedback, List.of()));
    }
    if (instruction.plan() == Instruction.PlanMode.AGENT) {
      AgentBackend agent = role.requireAgent(state);
      return planGoal(context, agent, instruction);
    }
    if (state.spec() != null) {
      SpecFolder spec = SpecFolder.read(context.workspace(), state.spec());
      Optional<Plan> fromTasks = SpecPlans.of(context.workspace(), state, spec);
      if (fromTasks.isPresent()) {
        Plan plan = fromTasks.get();
        if (plan.steps().isEmpty() && !feedback.isEmpty()) {
          return new PhaseOutcome.Planned(feedbackPlan(feedback, plan.notes()));
        }
        return new PhaseOutcome.Planned(plan);
      }
      if (state.goal() == null) {
        return new PhaseOutcome.Failed(
            ErrorCode.PLAN_INVALID,
            "spec "
                + state.spec()
                + " has no tasks.md (nor a plan.md with \"## Task 1: ...\" sections); add one"
                + " (a checkbox list) or submit a goal instead");
      }
    }
    Optional<AgentBackend> agent = role.agentFor(state);
    if (agent.isEmpty()) {
      if (!feedback.isEmpty()) {
        return new PhaseOutcome.Planned(feedbackPlan(feedback, List.of()));
      }
      return new PhaseOutcome.Planned(
          Plan.of(
              "goal",
              List.of(PlanStep.of("1", "Achieve the goal", state.goal(), null)),
              List.of("no planner agent is configured, so the goal is one step")));
    }
    return planGoal(context, agent.get(), instruction);
  }

  /** The instruction's fixed steps, with the cycle's spec and goal filled in. */
  static Plan stepsOf(Instruction instruction, CycleState state) {
    List<PlanStep> steps = new ArrayList<>();
    for (Instruction.StepTemplate template : instruction.steps()) {
      steps.add(
          PlanStep.of(
              Integer.toString(steps.size() + 1),
              Instruction.fill(template.title(), state.spec(), state.goal()),
              Instruction.fill(template.detail(), state.spec(), state.goal()),
              null));
    }
    return Plan.of("instruction " + instruction.name(), steps, List.of());
  }

  /** With every task done but Review unsatisfied: one step per thing Review asked to fix. */
  static Plan feedbackPlan(List<FeedbackItem> feedback, List<String> notes) {
    List<PlanStep> steps = new ArrayList<>();
    for (FeedbackItem item : feedback) {
      String id = Integer.toString(steps.size() + 1);
      steps.add(PlanStep.of(id, "Fix: " + item.what(), FeedbackText.of(item), null));
    }
    return Plan.of("review feedback", steps, notes);
  }

  private PhaseOutcome planGoal(PhaseContext context, AgentBackend agent, Instruction instruction) {
    try {
      Plan plan =
          AgentCalls.askParsed(
              context,
              agent,
              ToolAccess.planner(context.workspace()),
              correction -> request(context, instruction, correction),
              GoalPlan::parse,
              "the JSON array",
              "plan");
      return new PhaseOutcome.Planned(plan);
    } catch (AgentOsException e) {
      if (e.code() != ErrorCode.AGENT_ANSWER_INVALID) {
        throw e;
      }
      return new PhaseOutcome.Failed(e.code(), e.getMessage());
    }
  }

  private AgentRequest request(PhaseContext context, Instruction instruction, String correction) {
    CycleState state = context.state();
    List<PromptSection> sections = new ArrayList<>(role.context(context, state.goal()).sections());
    sections.add(PromptSection.required("cycle_id", state.cycleId()));
    sections.add(PromptSection.required("iteration", Integer.toString(state.iteration())));
    sections.add(PromptSection.required("goal", state.goal() == null ? "(none)" : state.goal()));
    sections.add(
        PromptSection.required(
            "intro",
            Instruction.fill(
                instruction.planIntro().orElse(DEFAULT_INTRO), state.spec(), state.goal())));
    sections.add(PromptSection.required("correction", correction));
    sections.add(
        new PromptSection(
            "progress", "the previous plan", previousPlan(state), CycleProgress.PLAN));
    sections.add(CycleProgress.changesSection(context.workspace(), state));
    sections.add(CycleProgress.historySection(state));
    return role.request(context, goalTemplate.render(sections, role.maxPromptChars()), Map.of());
  }

  /** The previous iteration's plan with each step's status, or a note on the first iteration. */
  private static String previousPlan(CycleState state) {
    return state.iterations().stream()
        .filter(it -> it.number() == state.iteration() - 1 && it.plan() != null)
        .findFirst()
        .map(CycleProgress::plan)
        .orElse("(none: this is the first iteration)");
  }
}
