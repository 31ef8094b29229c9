package dev.agentos.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.RoleAgent;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.state.UsageTotals;
import dev.agentos.state.Verdict;
import dev.agentos.state.Workspace;
import dev.agentos.testing.ScriptedAgent;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerPhaseTest {

  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  private static final String TASKS =
      """
      # Spec Tasks

      - [ ] 1. Add the cart model
        - [x] 1.1 Write tests for Cart
        - [ ] 1.2 Implement Cart
        - [ ] 1.3 Persist Cart
      - [x] 2. Set up CI
        - [x] 2.1 Add workflow
      - [ ] 3. Checkout page
      """;
  private static final String LAYOUT_NOTE =
      "layout: Agent OS v1 (it is under .agent-os/); spec folder "
          + SPEC
          + " as the cycle's spec, tasks from its tasks.md";
  private static final String ALL_TICKED = "- [x] 1. Add the cart model\n  - [x] 1.1 Write tests\n";
  private static final Usage CALL_USAGE = new Usage(1000, 200, 0.01, 2.0);
  private static final List<FeedbackItem> FEEDBACK =
      List.of(
          new FeedbackItem("Add a test for an empty cart", "CartTest.java", "no coverage"),
          FeedbackItem.of("Rename Cart to ShoppingCart"));

  @TempDir Path workspace;

  @Test
  void turnsTheUntickedParentTasksIntoStepsInOrderWithOnlyTheirUntickedSubTasks()
      throws IOException {
    writeTasks(TASKS);

    Plan plan = planned(planner(null).run(context(specCycle().build())));

    assertEquals("tasks.md", plan.source());
    assertEquals(
        List.of(
            PlanStep.of(
                "1",
                "1. Add the cart model",
                "- [ ] 1.2 Implement Cart\n- [ ] 1.3 Persist Cart",
                "1"),
            PlanStep.of("2", "3. Checkout page", "", "3")),
        plan.steps());
    assertEquals(List.of(LAYOUT_NOTE), plan.notes());
  }

  @Test
  void putsWhatTheTasksParserFoundOddIntoThePlanNotes() throws IOException {
    String tasks = "- [x] 1. Ticked parent\n  - [ ] 1.1 Open sub-task\n- [ ] 2. Next\n";
    writeTasks(tasks);
    List<String> issues = TasksFile.parse(tasks).issues();

    Plan plan = planned(planner(null).run(context(specCycle().build())));

    assertFalse(issues.isEmpty(), "a ticked parent over an unticked sub-task is an issue");
    assertEquals(LAYOUT_NOTE, plan.notes().get(0));
    assertEquals(issues, plan.notes().subList(1, plan.notes().size()));
    assertTrue(plan.notes().get(1).startsWith("line 1: "), plan.notes().toString());
    assertEquals(List.of("1", "2"), plan.steps().stream().map(PlanStep::taskRef).toList());
  }

  @Test
  void plansOneFixStepPerFeedbackItemWhenEveryTaskIsTicked() throws IOException {
    writeTasks(ALL_TICKED);

    Plan plan = planned(planner(null).run(context(secondIteration(specCycle()))));

    assertEquals("review feedback", plan.source());
    assertEquals(
        List.of(
            PlanStep.of(
                "1",
                "Fix: Add a test for an empty cart",
                "Add a test for an empty cart (where: CartTest.java) — no coverage",
                null),
            PlanStep.of(
                "2", "Fix: Rename Cart to ShoppingCart", "Rename Cart to ShoppingCart", null)),
        plan.steps());
    assertEquals(
        List.of(LAYOUT_NOTE, "every task in tasks.md is already ticked: nothing to execute"),
        plan.notes());
  }

  @Test
  void addsTheFeedbackToEachOpenTaskOnALaterIteration() throws IOException {
    writeTasks("- [ ] 1. Checkout page\n");

    Plan plan = planned(planner(null).run(context(secondIteration(specCycle()))));

    assertEquals(1, plan.steps().size());
    assertEquals(
        "Review asked the previous iteration to fix:\n"
            + "- Add a test for an empty cart (where: CartTest.java) — no coverage\n"
            + "- Rename Cart to ShoppingCart",
        plan.steps().get(0).detail());
  }

  @Test
  void failsWithPlanInvalidWhenTheSpecHasNoTasksAndThereIsNoGoal() throws IOException {
    Files.createDirectories(workspace.resolve(SPEC));

    PhaseOutcome.Failed failed =
        assertInstanceOf(
            PhaseOutcome.Failed.class, planner(null).run(context(specCycle().build())));

    assertEquals(ErrorCode.PLAN_INVALID, failed.code());
    assertTrue(failed.message().contains("has no tasks.md"), failed.message());
  }

  @Test
  void makesAGoalOneStepWithoutAPlannerAgent() {
    Plan plan = planned(planner(null).run(context(goalCycle().build())));

    assertEquals(
        List.of(PlanStep.of("1", "Achieve the goal", "add a dark mode", null)), plan.steps());
    assertEquals(List.of("no planner agent is configured, so the goal is one step"), plan.notes());
  }

  @Test
  void plansAGoalFromTheAgentsBareJsonArray() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE,
            "[{\"title\": \"Add a theme toggle\", \"detail\": \"in settings\"},"
                + " {\"title\": \"Store the choice\"}]");
    DetachedPhaseContext context = context(goalCycle().build());

    Plan plan = planned(planner(agent).run(context));

    assertEquals("agent", plan.source());
    assertEquals(
        List.of(
            PlanStep.of("1", "Add a theme toggle", "in settings", null),
            PlanStep.of("2", "Store the choice", "", null)),
        plan.steps());
    assertEquals(1, agent.requests().size());
    AgentRequest request = agent.requests().get(0);
    assertTrue(request.prompt().contains("## Goal\nadd a dark mode\n"), request.prompt());
    assertEquals("planner", request.role());
    assertEquals("c-1", request.environment().get(AgentRequest.CYCLE_ID));
    assertEquals(List.of(CALL_USAGE), context.usage());
  }

  @Test
  void aLaterIterationsPlannerIsToldThePreviousPlanTheChangesSoFarAndTheEarlierReviews() {
    Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
    Plan first =
        Plan.of(
            "goal",
            List.of(
                PlanStep.of("1", "Add a theme toggle", "", null),
                PlanStep.of("2", "Store the choice", "", null)),
            List.of());
    Execution done =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, t0)
                    .finished(StepStatus.COMPLETED, t0, "added the toggle", null, null)
                    .withChanges(StepChanges.of(List.of("theme.css"), StepChanges.FILES)))
            .with(
                StepRecord.started("2", 2, t0)
                    .finished(StepStatus.FAILED, t0, "the agent timed out", null, null));
    Review revise = Review.of(Verdict.REVISE, 57, List.of(), List.of(FEEDBACK.get(1)), List.of());
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, "[{\"title\": \"Store it\"}]");
    CycleState second =
        goalCycle()
            .iteration(2)
            .iterations(
                List.of(
                    Iteration.first().withPlan(first).withExecution(done).withReview(revise),
                    Iteration.next(2, List.of(FEEDBACK.get(1)))))
            .build();

    planned(planner(agent).run(context(second)));

    String prompt = agent.requests().get(0).prompt();
    assertTrue(
        prompt.contains(
            "- [COMPLETED] 1. Add a theme toggle\n"
                + "  summary: added the toggle\n"
                + "  1 file changed: theme.css\n"
                + "- [FAILED] 2. Store the choice\n"),
        prompt);
    assertTrue(
        prompt.contains(
            "## Changes so far in this cycle\nfiles the steps changed so far: theme.css"),
        prompt);
    assertTrue(
        prompt.contains(
            "## Earlier iterations' reviews\n- iteration 1: REVISE, score 57\n"
                + "  - Rename Cart to ShoppingCart"),
        prompt);
  }

  @Test
  void plansAGoalFromAJsonArrayFencedInProse() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE,
            "Here is the plan:\n```json\n[{\"title\": \"Add a theme toggle\"}]\n```\nGood luck [1].");

    Plan plan = planned(planner(agent).run(context(goalCycle().build())));

    assertEquals(List.of(PlanStep.of("1", "Add a theme toggle", "", null)), plan.steps());
  }

  @Test
  void sendsAMalformedPlanBackOnceWithTheReasonAndUsesTheSecondAnswer() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE, "I would start with a toggle.", "[{\"title\": \"Add a theme toggle\"}]");
    DetachedPhaseContext context = context(goalCycle().build());

    Plan plan = planned(planner(agent).run(context));

    assertEquals(List.of(PlanStep.of("1", "Add a theme toggle", "", null)), plan.steps());
    assertEquals(2, agent.requests().size());
    assertFalse(agent.requests().get(0).prompt().contains("rejected"));
    String second = agent.requests().get(1).prompt();
    assertTrue(
        second.contains(
            "## Your previous answer was rejected\nthe answer holds no JSON array. Answer again"
                + " with only the JSON array."),
        second);
    assertEquals(List.of(CALL_USAGE, CALL_USAGE), context.usage(), "both calls are accounted");
  }

  @Test
  void failsWithAgentAnswerInvalidWhenTheAgentAnswersAMalformedPlanTwice() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, "[]", "[{\"detail\": \"no title\"}]");
    DetachedPhaseContext context = context(goalCycle().build());

    PhaseOutcome.Failed failed =
        assertInstanceOf(PhaseOutcome.Failed.class, planner(agent).run(context));

    assertEquals(ErrorCode.AGENT_ANSWER_INVALID, failed.code());
    assertEquals(
        "the planner agent answered an invalid plan twice: step 1 needs a non-empty \"title\"",
        failed.message());
    assertEquals(2, agent.requests().size());
    assertTrue(
        agent.requests().get(1).prompt().contains("must be a non-empty JSON array of steps"),
        "the first rejection is fed back");
    assertEquals(2, context.usage().size());
  }

  @Test
  void plansAGoalWithDependsOnInAnOrderWhereEachStepFollowsWhatItWaitsFor() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE,
            "[{\"title\": \"Wire the toggle\", \"depends_on\": [2, \"3\"]},"
                + " {\"title\": \"Add a theme\", \"depends_on\": []},"
                + " {\"title\": \"Add a setting\", \"depends_on\": []}]");

    Plan plan = planned(planner(agent).run(context(goalCycle().build())));

    assertEquals(
        List.of(
            PlanStep.of("2", "Add a theme", "", null),
            PlanStep.of("3", "Add a setting", "", null),
            PlanStep.of("1", "Wire the toggle", "", null).withDependsOn(List.of("2", "3"))),
        plan.steps());
    assertTrue(
        agent.requests().get(0).prompt().contains("\"depends_on\""),
        "the prompt asks for depends_on");
  }

  @Test
  void refusesAGoalPlanWithADependencyLoopNamingTheLoop() {
    String loop =
        "[{\"title\": \"a\", \"depends_on\": []}, {\"title\": \"b\", \"depends_on\": [3]},"
            + " {\"title\": \"c\", \"depends_on\": [2]}]";
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, loop, loop);

    PhaseOutcome.Failed failed =
        assertInstanceOf(
            PhaseOutcome.Failed.class, planner(agent).run(context(goalCycle().build())));

    assertEquals(ErrorCode.AGENT_ANSWER_INVALID, failed.code());
    assertEquals(
        "the planner agent answered an invalid plan twice: dependency loop: 2 → 3 → 2 (2: b; 3: c)",
        failed.message());
    assertTrue(
        agent
            .requests()
            .get(1)
            .prompt()
            .contains("dependency loop: 2 → 3 → 2 (2: b; 3: c). Answer again"),
        "the loop is fed back to the agent once");
  }

  @Test
  void refusesAGoalPlanThatDependsOnAStepItDoesNotHave() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE,
            "[{\"title\": \"a\", \"depends_on\": [4]}]",
            "[{\"title\": \"a\", \"depends_on\": [\"x\"]}]");

    PhaseOutcome.Failed failed =
        assertInstanceOf(
            PhaseOutcome.Failed.class, planner(agent).run(context(goalCycle().build())));

    assertTrue(
        agent.requests().get(1).prompt().contains("step 1 depends on 4, which is not a step"),
        agent.requests().get(1).prompt());
    assertTrue(
        failed.message().endsWith("must list step numbers (1, 2, ...), not \"x\""),
        failed.message());
  }

  @Test
  void refusesASpecWhoseTasksWaitForEachOtherInALoop() throws IOException {
    writeTasks(
        """
        - [ ] 1. A (Depends on: Task 2)
        - [ ] 2. B (Depends on: Task 1)
        - [ ] 3. C
        """);

    PhaseOutcome.Failed failed =
        assertInstanceOf(
            PhaseOutcome.Failed.class, planner(null).run(context(specCycle().build())));

    assertEquals(ErrorCode.PLAN_INVALID, failed.code());
    assertEquals(
        "the plan is not valid: dependency loop: 2 → 3 → 2 (2: 1. A (Depends on: Task 2); 3: 2. B"
            + " (Depends on: Task 1))",
        failed.message());
  }

  @Test
  void stopsWithBudgetExhaustedBeforeCallingTheAgentWhenTheTokensAreSpent() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, "[{\"title\": \"never\"}]");
    CycleState spent =
        goalCycle()
            .options(CycleOptions.defaults().withBudget(new Budget(1000L, null, null)))
            .usage(UsageTotals.none().add(Phase.PLAN, new Usage(800, 200, 0, 0)))
            .build();

    AgentOsException error =
        assertThrows(AgentOsException.class, () -> planner(agent).run(context(spent)));

    assertEquals(ErrorCode.BUDGET_EXHAUSTED, error.code());
    assertTrue(error.getMessage().contains("1000 of 1000 tokens used"), error.getMessage());
    assertEquals(List.of(), agent.requests(), "no call was made");
  }

  private static Plan planned(PhaseOutcome outcome) {
    return assertInstanceOf(PhaseOutcome.Planned.class, outcome).plan();
  }

  private static PlannerPhase planner(AgentBackend agent) {
    return new PlannerPhase(
        new RoleAgent(
            Phase.PLAN,
            state -> Optional.ofNullable(agent),
            project -> Knowledge.NONE,
            Duration.ofSeconds(5),
            RoleAgent.DEFAULT_MAX_PROMPT_CHARS));
  }

  private DetachedPhaseContext context(CycleState state) {
    return new DetachedPhaseContext(state, workspace);
  }

  private CycleState.Builder specCycle() {
    return cycle().spec(SPEC);
  }

  private CycleState.Builder goalCycle() {
    return cycle().goal("add a dark mode");
  }

  private CycleState.Builder cycle() {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .workspace(Workspace.atPath(workspace.toString()));
  }

  private static CycleState secondIteration(CycleState.Builder builder) {
    return builder
        .iteration(2)
        .iterations(List.of(Iteration.first(), Iteration.next(2, FEEDBACK)))
        .build();
  }

  private void writeTasks(String text) throws IOException {
    Path file = workspace.resolve(SPEC).resolve("tasks.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
