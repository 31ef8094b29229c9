package dev.agentos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.RoleAgent;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepChanges;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.testing.ScriptedAgent;
import dev.agentos.worker.Artifacts;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorPhaseTest {

  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final Usage CALL_USAGE = new Usage(1000, 200, 0.01, 2.0);
  private static final String TASKS =
      """
      # Spec Tasks

      - [ ] 1. Add the cart model
        - [x] 1.1 Write tests for Cart
        - [ ] 1.2 Implement Cart
      - [ ] 3. Checkout page
      """;
  private static final Plan PLAN =
      Plan.of(
          "tasks.md",
          List.of(
              PlanStep.of("1", "1. Add the cart model", "- [ ] 1.2 Implement Cart", "1"),
              PlanStep.of("2", "3. Checkout page", "", "3")),
          List.of());

  @TempDir Path workspace;

  @Test
  void runsTheStepsInOrderWritingEachFinishedStepWithTheNextOneStarting() throws IOException {
    writeTasks(TASKS);
    ScriptedAgent agent = new ScriptedAgent(writing("cart.py", "did 1"), answer("did 2"));
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty()));

    Execution execution = executed(executor(agent, 2).run(context));

    assertEquals(
        List.of("1:RUNNING", "1:COMPLETED 2:RUNNING", "1:COMPLETED 2:COMPLETED"),
        checkpoints(context),
        "step 1 is durable COMPLETED before step 2's agent starts, in one write with 2 RUNNING");
    assertEquals(
        List.of(
            StepRecord.started("1", 1, T0)
                .finished(StepStatus.COMPLETED, T0, "did 1", null, null)
                .withChanges(new StepChanges(1, List.of("cart.py"), StepChanges.FILES)),
            StepRecord.started("2", 1, T0)
                .finished(StepStatus.COMPLETED, T0, "did 2", null, null)
                .withChanges(new StepChanges(0, List.of(), StepChanges.FILES))
                .withNote(ExecutorPhase.NO_CHANGES_NOTE)),
        execution.steps(),
        "step 2 said it was done and changed nothing (tasks.md ticked for step 1 is not its"
            + " change)");
    AgentRequest first = agent.requests().get(0);
    assertTrue(first.prompt().contains("step 1 · attempt 1\n\n## Step\n1. Add the cart model"));
    assertTrue(first.prompt().contains("- [ ] 1.2 Implement Cart"), first.prompt());
    assertEquals("1", first.environment().get(AgentRequest.STEP_ID));
    assertEquals("1", first.environment().get(AgentRequest.ATTEMPT));
    assertEquals("executor", first.role());
    assertTrue(agent.requests().get(1).prompt().contains("## Step\n3. Checkout page"));
    assertEquals(
        List.of(
            "step_started: 1 1. Add the cart model",
            "step_finished: 1 completed, 1 file changed: cart.py",
            "step_started: 2 3. Checkout page",
            "step_finished: 2 completed, no files changed",
            "step_note: 2: " + ExecutorPhase.NO_CHANGES_NOTE),
        context.events());
    assertEquals(List.of(CALL_USAGE, CALL_USAGE), context.usage());
  }

  @Test
  void eachStepsPromptHoldsThePlanWithEachStatusWhatTheDoneStepsDidAndTheChangesSoFar()
      throws IOException {
    writeTasks(TASKS);
    ScriptedAgent agent =
        new ScriptedAgent(writing("cart.py", "added the cart model"), answer("did 2"));

    executor(agent, 2).run(context(cycle(PLAN, Execution.empty())));

    String first = agent.requests().get(0).prompt();
    assertTrue(
        first.contains("- [RUNNING] 1. 1. Add the cart model\n- [PENDING] 2. 3. Checkout page\n"),
        first);
    assertTrue(first.contains("## Changes so far in this cycle\n(nothing measured yet)"), first);
    assertTrue(first.contains("## Earlier iterations' reviews\n(none: this is the first"), first);
    String second = agent.requests().get(1).prompt();
    assertTrue(
        second.contains(
            "- [COMPLETED] 1. 1. Add the cart model\n"
                + "  summary: added the cart model\n"
                + "  1 file changed: cart.py\n"
                + "- [RUNNING] 2. 3. Checkout page\n"),
        second);
    assertTrue(
        second.contains(
            "## Changes so far in this cycle\nfiles the steps changed so far: cart.py\n"),
        second);
  }

  @Test
  void skipsTheStepsAlreadyCompletedWhenResuming() throws IOException {
    writeTasks(TASKS);
    StepRecord done =
        StepRecord.started("1", 1, T0).finished(StepStatus.COMPLETED, T0, "earlier", null, null);
    ScriptedAgent agent = new ScriptedAgent(answer("did 2"));
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty().with(done)));

    Execution execution = executed(executor(agent, 2).run(context));

    assertEquals(1, agent.requests().size());
    assertEquals("2", agent.requests().get(0).environment().get(AgentRequest.STEP_ID));
    assertEquals(List.of("1:COMPLETED 2:RUNNING", "1:COMPLETED 2:COMPLETED"), checkpoints(context));
    assertEquals(done, execution.steps().get(0), "the completed step is left as it was");
  }

  @Test
  void rerunsAStepLeftRunningByADeadWorkerAsARetry() throws IOException {
    writeTasks(TASKS);
    StepRecord interrupted = StepRecord.started("1", 1, T0.minusSeconds(60));
    ScriptedAgent agent = new ScriptedAgent(answer("did 1"), answer("did 2"));
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty().with(interrupted)));

    Execution execution = executed(executor(agent, 2).run(context));

    AgentRequest retry = agent.requests().get(0);
    assertEquals("2", retry.environment().get(AgentRequest.ATTEMPT));
    assertTrue(retry.prompt().contains("step 1 · attempt 2\n"), retry.prompt());
    assertTrue(
        retry.prompt().contains("This is a retry: an earlier attempt of this step was interrupted"),
        retry.prompt());
    assertFalse(agent.requests().get(1).prompt().contains("This is a retry"));
    assertEquals(StepStatus.COMPLETED, execution.steps().get(0).status());
    assertEquals(2, execution.steps().get(0).attempts());
    assertEquals(T0, execution.steps().get(0).startedAt(), "the new attempt has its own start");
  }

  @Test
  void retriesAFailedStepWithTheFailureThenRecordsItFailedMarksTheTaskBlockedAndGoesOn()
      throws IOException {
    writeTasks(TASKS);
    ScriptedAgent agent =
        new ScriptedAgent(
            ScriptedAgent.fail(ErrorCode.AGENT_FAILED, "mvn test failed: CartTest"),
            ScriptedAgent.fail(ErrorCode.AGENT_FAILED, "still failing\n  CartTest line 3"),
            answer("did 2"));
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty()));

    Execution execution = executed(executor(agent, 2).run(context));

    assertEquals(3, agent.requests().size());
    String second = agent.requests().get(1).prompt();
    assertTrue(
        second.contains(
            "This is attempt 2. The previous attempt failed with:\nmvn test failed: CartTest\n"
                + "Fix the cause before you continue.\n"),
        second);
    assertEquals("2", agent.requests().get(1).environment().get(AgentRequest.ATTEMPT));
    StepRecord failed = execution.steps().get(0);
    assertEquals(StepStatus.FAILED, failed.status());
    assertEquals(2, failed.attempts());
    assertEquals("still failing\n  CartTest line 3", failed.summary());
    assertEquals(StepStatus.COMPLETED, execution.steps().get(1).status());
    assertEquals(
        List.of("1:RUNNING", "1:RUNNING", "1:FAILED 2:RUNNING", "1:FAILED 2:COMPLETED"),
        checkpoints(context),
        "each attempt is recorded RUNNING before it starts");
    assertEquals(
        """
        # Spec Tasks

        - [ ] 1. Add the cart model
          \u26A0\uFE0F Blocking issue: still failing CartTest line 3
          - [x] 1.1 Write tests for Cart
          - [ ] 1.2 Implement Cart
        - [x] 3. Checkout page
        """,
        readTasks());
  }

  @Test
  void skipsOnlyTheStepsThatWaitForAFailedStepAndRunsTheIndependentOnes() throws IOException {
    Plan plan =
        Plan.of(
            "agent",
            List.of(
                PlanStep.of("1", "Model", "", null),
                PlanStep.of("2", "API", "", null).withDependsOn(List.of("1")),
                PlanStep.of("3", "Docs", "", null).withDependsOn(List.of()),
                PlanStep.of("4", "UI", "", null).withDependsOn(List.of("2"))),
            List.of());
    ScriptedAgent agent =
        new ScriptedAgent(
            ScriptedAgent.fail(ErrorCode.AGENT_FAILED, "model does not compile"), answer("did 3"));
    DetachedPhaseContext context = context(cycle(plan, Execution.empty()));

    Execution execution = executed(executor(agent, 1).run(context));

    assertEquals(2, agent.requests().size(), "steps 1 and 3 ran, 2 and 4 did not");
    assertTrue(agent.requests().get(1).prompt().contains("## Step\nDocs"));
    assertEquals(
        List.of("1:FAILED", "2:SKIPPED", "3:COMPLETED", "4:SKIPPED"),
        execution.steps().stream()
            .sorted(java.util.Comparator.comparing(StepRecord::id))
            .map(r -> r.id() + ":" + r.status())
            .toList());
    assertEquals(
        "not run: it waits for step 1, which did not complete",
        execution.step("2").orElseThrow().summary());
    assertEquals(
        "not run: it waits for step 2, which did not complete",
        execution.step("4").orElseThrow().summary());
    assertEquals(0, execution.step("4").orElseThrow().attempts());
    assertTrue(
        context
            .events()
            .contains(
                "step_finished: 2 skipped: not run: it waits for step 1, which"
                    + " did not complete"),
        context.events().toString());
  }

  @Test
  void letsAnUnavailableAgentFailThePhaseSoItIsRetriedLater() throws IOException {
    writeTasks(TASKS);
    ScriptedAgent agent =
        new ScriptedAgent(
            ScriptedAgent.fail(ErrorCode.AGENT_UNAVAILABLE, "cannot start claude: not found"));
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty()));

    AgentOsException error =
        assertThrows(AgentOsException.class, () -> executor(agent, 3).run(context));

    assertEquals(ErrorCode.AGENT_UNAVAILABLE, error.code());
    assertEquals(1, agent.requests().size(), "not retried as a step failure");
    assertEquals(List.of("1:RUNNING"), checkpoints(context));
    assertEquals(TASKS, readTasks());
  }

  @Test
  void stopsBetweenStepsWhenTheCycleIsCancelled() throws IOException {
    writeTasks(TASKS);
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty()));
    ScriptedAgent agent =
        new ScriptedAgent(
            request -> {
              context.cancel();
              return answer("did 1").apply(request);
            });

    AgentOsException error =
        assertThrows(AgentOsException.class, () -> executor(agent, 2).run(context));

    assertEquals(ErrorCode.CANCELLED, error.code());
    assertEquals("cancelled before step 2", error.getMessage());
    assertEquals(1, agent.requests().size());
    assertEquals(List.of("1:RUNNING", "1:COMPLETED"), checkpoints(context));
  }

  @Test
  void stopsBeforeTheNextStepWhenTheTokenBudgetIsSpent() throws IOException {
    writeTasks(TASKS);
    CycleState state =
        cycle(PLAN, Execution.empty()).toBuilder()
            .options(CycleOptions.defaults().withBudget(new Budget(1000L, null, null)))
            .build();
    ScriptedAgent agent = new ScriptedAgent(answer("did 1"), answer("did 2"));
    DetachedPhaseContext context = context(state);

    AgentOsException error =
        assertThrows(AgentOsException.class, () -> executor(agent, 2).run(context));

    assertEquals(ErrorCode.BUDGET_EXHAUSTED, error.code());
    assertEquals(1, agent.requests().size());
    assertEquals(List.of("1:RUNNING", "1:COMPLETED"), checkpoints(context), "2 never started");
  }

  @Test
  void keepsALongAnswerAsAnArtifactAndItsTailAsTheSummary() {
    String text = "A".repeat(600) + "B".repeat(600) + "END";
    ScriptedAgent agent = new ScriptedAgent(answer("  " + text + "\n"));
    Plan goal =
        Plan.of("goal", List.of(PlanStep.of("1", "Achieve the goal", "g", null)), List.of());
    CycleState state = cycle(goal, Execution.empty()).toBuilder().spec(null).goal("g").build();

    StepRecord step =
        executed(
                new ExecutorPhase(role(agent), 2, TaskBoxes.NONE, Clock.fixed(T0, ZoneOffset.UTC))
                    .run(context(state)))
            .steps()
            .get(0);

    byte[] whole = ("  " + text + "\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(
        new ArtifactRef("iteration-1/step-1-attempt-1.txt", whole.length, Artifacts.sha256(whole)),
        step.artifact());
    assertEquals("…" + text.substring(text.length() - 1000), step.summary());
    assertEquals(1001, step.summary().length());
  }

  @Test
  void keepsAShortAnswerInStateWithoutAnArtifact() throws IOException {
    writeTasks(TASKS);
    String text = "x".repeat(1000);

    Execution execution =
        executed(
            executor(new ScriptedAgent(answer(text), answer("ok")), 2)
                .run(context(cycle(PLAN, Execution.empty()))));

    assertEquals(text, execution.steps().get(0).summary());
    assertNull(execution.steps().get(0).artifact());
  }

  @Test
  void ticksTheTaskItsSubTasksAndNothingElseByteForByte() throws IOException {
    String tasks =
        "# Tasks  \r\n"
            + "\r\n"
            + "- [ ] 1. **Add the cart model** \r\n"
            + "   - [x] 1.1 Write tests\t\r\n"
            + "   - [ ] 1.2 Implement Cart\r\n"
            + "     - [ ] 1.2.1 Third level\r\n"
            + "   - [ ] 1.3 Persist Cart   \r\n"
            + "\r\n"
            + "## Definition of done\r\n"
            + "- [ ] All tests pass\r\n"
            + "\r\n"
            + "## More\r\n"
            + "- [ ] 2. Checkout page  ";
    writeTasks(tasks);
    Plan plan =
        Plan.of(
            "tasks.md",
            List.of(
                PlanStep.of("1", "1. Add the cart model", "", "1"),
                PlanStep.of("2", "2. Checkout page", "", "2")),
            List.of());

    executor(new ScriptedAgent(answer("ok"), answer("ok")), 2)
        .run(context(cycle(plan, Execution.empty())));

    assertEquals(
        "# Tasks  \r\n"
            + "\r\n"
            + "- [x] 1. **Add the cart model** \r\n"
            + "   - [x] 1.1 Write tests\t\r\n"
            + "   - [x] 1.2 Implement Cart\r\n"
            + "     - [x] 1.2.1 Third level\r\n"
            + "   - [x] 1.3 Persist Cart   \r\n"
            + "\r\n"
            + "## Definition of done\r\n"
            + "- [ ] All tests pass\r\n"
            + "\r\n"
            + "## More\r\n"
            + "- [x] 2. Checkout page  ",
        readTasks());
  }

  // ---- an agent asks a person through its channel ---------------------------------------------

  @TempDir Path scratch;

  @Test
  void aQuestionInTheChannelEndsThePhaseInNeedsInputWithTheStepUnfinishedAndItsBoxOpen()
      throws IOException {
    writeTasks(TASKS);
    List<DecisionRecord> logged = new java.util.ArrayList<>();
    ScriptedAgent agent =
        new ScriptedAgent(
            channelWriting(
                Map.of(
                    "question.json",
                    "{\"question\":\"Which currency?\",\"context\":\"the spec names none\"}",
                    "decisions.jsonl",
                    "{\"title\":\"Money\",\"decision\":\"integer cents\",\"rationale\":\"no"
                        + " rounding\"}\nnot json\n"),
                "I need to know the currency"));
    DetachedPhaseContext context = context(cycle(PLAN, Execution.empty()));

    PhaseOutcome outcome = asking(agent, logged).run(context);

    assertEquals(
        new PhaseOutcome.NeedsInput("1", "Which currency?", "the spec names none"), outcome);
    assertEquals(1, agent.requests().size(), "step 2 never started");
    String channel = agent.requests().get(0).environment().get("AGENTOS_CHANNEL");
    assertTrue(Path.of(channel).startsWith(scratch), channel + " under the scratch directory");
    assertFalse(Files.exists(Path.of(channel)), "the channel is removed after the run");
    StepRecord step = context.state().currentIteration().executionOrEmpty().step("1").orElseThrow();
    assertEquals(StepStatus.RUNNING, step.status());
    assertTrue(
        step.notes().stream().anyMatch(n -> n.contains("decisions.jsonl line 2")),
        String.valueOf(step.notes()));
    assertEquals(TASKS, readTasks(), "no box is ticked for a step that waits");
    assertEquals(1, logged.size());
    DecisionRecord money = logged.get(0);
    assertEquals("c-1-1-1-1-1", money.id());
    assertEquals("Money", money.title());
    assertEquals("integer cents", money.decision());
    assertEquals("no rounding", money.context());
    assertTrue(
        context.events().contains("step_note: 1: the agent asks a person: Which currency?"),
        context.events().toString());
  }

  @Test
  void theAnswerContinuesTheStepWithTheQuestionAndTheAnswerInItsPromptThenTheNextSteps()
      throws IOException {
    writeTasks(TASKS);
    ScriptedAgent agent =
        new ScriptedAgent(
            channelWriting(Map.of("question.json", "{\"question\":\"Which currency?\"}"), "?"),
            answer("did 1 in EUR"),
            answer("did 2"));
    DetachedPhaseContext first = context(cycle(PLAN, Execution.empty()));
    asking(agent, new java.util.ArrayList<>()).run(first);
    CycleState answered =
        dev.agentos.state.Transitions.answer(
            dev.agentos.state.Transitions.ask(
                first.state().toBuilder().status(dev.agentos.state.Status.EXECUTING).build(),
                "1",
                "Which currency?",
                null,
                T0),
            "EUR everywhere",
            T0.plusSeconds(60));
    DetachedPhaseContext second = context(answered);

    Execution execution = executed(asking(agent, new java.util.ArrayList<>()).run(second));

    String prompt = agent.requests().get(1).prompt();
    assertTrue(prompt.contains(AnswersNote.ANSWERED), prompt);
    assertTrue(prompt.contains("Question: Which currency?\nAnswer: EUR everywhere\n"), prompt);
    assertFalse(prompt.contains("interrupted"), "an answered step is not a retry: " + prompt);
    assertTrue(
        agent.requests().get(2).prompt().contains("## Step\n3. Checkout page"),
        "then the next step");
    StepRecord step = execution.step("1").orElseThrow();
    assertEquals(StepStatus.COMPLETED, step.status());
    assertEquals(2, step.attempts(), "the run after the answer is the step's second");
    assertEquals("EUR everywhere", step.lastAnswer().orElseThrow().answer());
    assertTrue(readTasks().contains("- [x] 1.2 Implement Cart"), readTasks());
  }

  @Test
  void aQuestionFileTheExecutorCannotReadFailsTheAttemptAndTheRetryIsToldWhy() throws IOException {
    writeTasks(TASKS);
    ScriptedAgent agent =
        new ScriptedAgent(
            channelWriting(Map.of("question.json", "{\"quest"), "asked"),
            answer("did 1"),
            answer("did 2"));

    Execution execution =
        executed(
            asking(agent, new java.util.ArrayList<>())
                .run(context(cycle(PLAN, Execution.empty()))));

    assertEquals(StepStatus.COMPLETED, execution.step("1").orElseThrow().status());
    String retry = agent.requests().get(1).prompt();
    assertTrue(retry.contains("question.json is not JSON"), retry);
  }

  private ExecutorPhase asking(AgentBackend agent, List<DecisionRecord> logged) {
    return new ExecutorPhase(
        role(agent),
        2,
        new SpecTaskBoxes(),
        (project, record) -> logged.add(record),
        scratch,
        Clock.fixed(T0, ZoneOffset.UTC),
        ExecutorPhase.Parallel.DEFAULTS);
  }

  /** An agent that writes {@code files} into its channel, then answers {@code text}. */
  private static Function<AgentRequest, AgentResult> channelWriting(
      Map<String, String> files, String text) {
    return request -> {
      Path channel = Path.of(request.environment().get("AGENTOS_CHANNEL"));
      try {
        for (Map.Entry<String, String> file : files.entrySet()) {
          Files.writeString(channel.resolve(file.getKey()), file.getValue());
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return answer(text).apply(request);
    };
  }

  private static Execution executed(PhaseOutcome outcome) {
    return assertInstanceOf(PhaseOutcome.Executed.class, outcome).execution();
  }

  /** Each checkpoint as the execution it recorded: "1:COMPLETED 2:RUNNING". */
  private static List<String> checkpoints(DetachedPhaseContext context) {
    return context.checkpoints().stream()
        .map(
            state ->
                state.currentIteration().executionOrEmpty().steps().stream()
                    .map(s -> s.id() + ":" + s.status())
                    .collect(Collectors.joining(" ")))
        .toList();
  }

  private static ExecutorPhase executor(AgentBackend agent, int stepAttempts) {
    return new ExecutorPhase(
        role(agent), stepAttempts, new SpecTaskBoxes(), Clock.fixed(T0, ZoneOffset.UTC));
  }

  private static RoleAgent role(AgentBackend agent) {
    return new RoleAgent(
        Phase.EXECUTE,
        state -> Optional.of(agent),
        project -> Knowledge.NONE,
        Duration.ofSeconds(5),
        RoleAgent.DEFAULT_MAX_PROMPT_CHARS);
  }

  private DetachedPhaseContext context(CycleState state) {
    return new DetachedPhaseContext(state, workspace);
  }

  private CycleState cycle(Plan plan, Execution execution) {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .spec(SPEC)
        .workspace(Workspace.atPath(workspace.toString()))
        .iterations(List.of(Iteration.first().withPlan(plan).withExecution(execution)))
        .build();
  }

  private void writeTasks(String text) throws IOException {
    Path file = workspace.resolve(SPEC).resolve("tasks.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private String readTasks() throws IOException {
    return Files.readString(workspace.resolve(SPEC).resolve("tasks.md"), StandardCharsets.UTF_8);
  }

  /** An agent that writes {@code file} in the workspace, then answers {@code text}. */
  private Function<AgentRequest, AgentResult> writing(String file, String text) {
    return request -> {
      try {
        Files.writeString(workspace.resolve(file), "# written by the step\n");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return answer(text).apply(request);
    };
  }

  private static Function<AgentRequest, AgentResult> answer(String text) {
    return ScriptedAgent.answer(text, CALL_USAGE);
  }
}
