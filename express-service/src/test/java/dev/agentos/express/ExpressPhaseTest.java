package dev.agentos.express;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.RoleAgent;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.ExpressResult;
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
import dev.agentos.state.Verdict;
import dev.agentos.state.Workspace;
import dev.agentos.testing.ScriptedAgent;
import dev.agentos.worker.Artifacts;
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

class ExpressPhaseTest {

  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final Usage CALL_USAGE = new Usage(500, 100, 0.002, 1.0);
  private static final Plan PLAN =
      Plan.of(
          "tasks.md",
          List.of(
              PlanStep.of("1", "1. Add the cart model", "", "1"),
              PlanStep.of("2", "3. Checkout page", "", "3")),
          List.of());
  private static final Execution ONE_DONE_ONE_FAILED =
      Execution.empty()
          .with(
              StepRecord.started("1", 1, T0)
                  .finished(StepStatus.COMPLETED, T0, "did it\nand more", null, null))
          .with(
              StepRecord.started("2", 2, T0).finished(StepStatus.FAILED, T0, "broke", null, null));

  @TempDir Path workspace;

  @Test
  void writesTheRecapOfASpecWithEachStepAndItsOutcome() throws IOException {
    ExpressResult result = expressed(express(null).run(context(specCycle(ONE_DONE_ONE_FAILED))));

    String recapPath = ".agent-os/recaps/2026-11-20-cart.md";
    assertEquals("Iteration 1: 1 of 2 steps completed.", result.summary());
    assertEquals(recapPath, result.recapPath());
    assertEquals(
        """
        # 2026-11-20-cart — recap

        Cycle `c-1`, iteration 1, project shop.

        ## Summary

        Iteration 1: 1 of 2 steps completed.

        ## What was done

        - ✅ 1. Add the cart model — completed
          > did it
          > and more
        - ⚠️ 3. Checkout page — failed after 2 attempts
          > broke

        ## Issues met

        1 step(s) did not complete; see above.

        ## Next steps

        Review decides whether another iteration fixes the incomplete steps.
        """,
        read(recapPath));
  }

  @Test
  void listsTheSpecsCriteriaInTheRecap() throws IOException {
    write(
        SPEC + "/tasks.md",
        "- [x] 1. Add the cart model\n\n## Success Metrics\n- [ ] Checkout under 2 s\n");
    write(SPEC + "/checklists/ux.md", "- [x] CHK001 Empty cart explained\n");

    ExpressResult result = expressed(express(null).run(context(specCycle(ONE_DONE_ONE_FAILED))));

    assertTrue(
        read(result.recapPath())
            .contains(
                "## Criteria\n\n"
                    + Recap.BEFORE_REVIEW
                    + "\n\n- 🧑 needs a person: Checkout under 2 s (Success Metrics)\n"
                    + "- ✅ met: CHK001 Empty cart explained (checklists/ux.md)\n\n## Next steps"),
        read(result.recapPath()));
  }

  @Test
  void ticksTheRoadmapItemOfACompletedSpecAndSaysSoInTheRecap() throws IOException {
    write(SPEC + "/tasks.md", "- [x] 1. Add the cart model\n");
    write(".agent-os/product/roadmap.md", "- [ ] Cart `M`\n- [ ] Checkout `L`\n");

    ExpressResult result = expressed(express(null).run(context(specCycle(ONE_DONE_ONE_FAILED))));

    assertEquals("- [x] Cart `M`\n- [ ] Checkout `L`\n", read(".agent-os/product/roadmap.md"));
    assertTrue(
        read(result.recapPath())
            .contains("## Roadmap\n\nroadmap item ticked: Cart `M` (.agent-os/product/roadmap.md)"),
        read(result.recapPath()));
  }

  @Test
  void leavesTheRoadmapAloneWhileTasksAreOpen() throws IOException {
    write(SPEC + "/tasks.md", "- [x] 1. Add the cart model\n- [ ] 2. Cart page\n");
    write(".agent-os/product/roadmap.md", "- [ ] Cart `M`\n");

    ExpressResult result = expressed(express(null).run(context(specCycle(ONE_DONE_ONE_FAILED))));

    assertEquals("- [ ] Cart `M`\n", read(".agent-os/product/roadmap.md"));
    assertFalse(read(result.recapPath()).contains("## Roadmap"));
  }

  @Test
  void theRecapSaysWhatEachStepChangedAndThatAStepWhichChangedNothingIsUnverified()
      throws IOException {
    Execution measured =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, T0)
                    .finished(StepStatus.COMPLETED, T0, "added the model", null, null)
                    .withChanges(new StepChanges(1, List.of("cart.py"), StepChanges.GIT)))
            .with(
                StepRecord.started("2", 1, T0)
                    .finished(StepStatus.COMPLETED, T0, "I implemented the page.", null, null)
                    .withChanges(new StepChanges(0, List.of(), StepChanges.GIT)));

    ExpressResult result = expressed(express(null).run(context(specCycle(measured))));

    String recap = read(result.recapPath());
    assertTrue(
        recap.contains(
            "- ✅ 1. Add the cart model — completed, 1 file changed: cart.py\n"
                + "  > added the model\n"
                + "- ⚠️ 3. Checkout page — completed, no files changed (unverified: only the"
                + " agent's word says it is done)\n"),
        recap);
    assertTrue(
        recap.contains(
            "## Issues met\n\n1 step(s) reported done but changed no file and did not say why:"
                + " their result is unverified, and Review does not accept it.\n"),
        recap);
  }

  @Test
  void summarisesAsTheStepCountWithoutAnAgent() throws IOException {
    Execution allDone =
        Execution.empty()
            .with(StepRecord.started("1", 1, T0).finished(StepStatus.COMPLETED, T0, "", null, null))
            .with(
                StepRecord.started("2", 1, T0).finished(StepStatus.COMPLETED, T0, "", null, null));

    ExpressResult result = expressed(express(null).run(context(specCycle(allDone))));

    assertEquals("Iteration 1: 2 of 2 steps completed.", result.summary());
    assertTrue(read(result.recapPath()).contains("## Issues met\n\nNone.\n"));
  }

  @Test
  void summarisesAsTheStepCountFollowedByTheAgentsTextWithAnAgent() throws IOException {
    write(SPEC + "/spec-lite.md", "A cart that keeps items.");
    ScriptedAgent agent =
        ScriptedAgent.always(CALL_USAGE, "  The cart model is in; checkout failed.\n");
    DetachedPhaseContext context = context(specCycle(ONE_DONE_ONE_FAILED));

    ExpressResult result = expressed(express(agent).run(context));

    String summary = "Iteration 1: 1 of 2 steps completed. The cart model is in; checkout failed.";
    assertEquals(summary, result.summary());
    assertTrue(read(result.recapPath()).contains("## Summary\n\n" + summary + "\n"));
    assertEquals(1, agent.requests().size());
    String prompt = agent.requests().get(0).prompt();
    assertTrue(
        prompt.contains(
            "## What was done, step by step\n"
                + "- 1. 1. Add the cart model: COMPLETED\n  did it\n  and more\n"
                + "- 2. 3. Checkout page: FAILED\n  broke\n"),
        prompt);
    assertTrue(prompt.contains("## Spec\nA cart that keeps items.\n"), prompt);
    assertEquals("express", agent.requests().get(0).role());
    assertEquals(List.of(CALL_USAGE), context.usage());
  }

  @Test
  void theExpressAgentIsToldTheChangesSoFarAndTheEarlierReviews() throws IOException {
    ScriptedAgent agent = ScriptedAgent.always(CALL_USAGE, "The cart model is in.");
    Execution measured =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, T0)
                    .finished(StepStatus.COMPLETED, T0, "added the model", null, null)
                    .withChanges(new StepChanges(1, List.of("cart.py"), StepChanges.FILES)));
    Review first =
        Review.of(
            Verdict.REVISE,
            57,
            List.of(),
            List.of(FeedbackItem.of("Validate quantities")),
            List.of());
    CycleState second =
        specCycle(measured).toBuilder()
            .iteration(2)
            .iterations(
                List.of(
                    Iteration.first().withReview(first),
                    Iteration.next(2, List.of(FeedbackItem.of("Validate quantities")))
                        .withPlan(PLAN)
                        .withExecution(measured)))
            .build();

    expressed(express(agent).run(context(second)));

    String prompt = agent.requests().get(0).prompt();
    assertTrue(
        prompt.contains("## Changes so far in this cycle\nfiles the steps changed so far: cart.py"),
        prompt);
    assertTrue(
        prompt.contains(
            "## Earlier iterations' reviews\n- iteration 1: REVISE, score 57\n"
                + "  - Validate quantities"),
        prompt);
  }

  @Test
  void keepsTheStepCountWhenTheAgentAnswersNothing() throws IOException {
    write(SPEC + "/spec-lite.md", "A cart.");

    ExpressResult result =
        expressed(
            express(ScriptedAgent.always(CALL_USAGE, " \n"))
                .run(context(specCycle(ONE_DONE_ONE_FAILED))));

    assertEquals("Iteration 1: 1 of 2 steps completed.", result.summary());
  }

  @Test
  void writesTheRecapWhereTheSpecsLayoutKeepsIt() throws IOException {
    String v2 = "agent-os/specs/2026-05-04-order-history";
    String specKit = "specs/007-playlists";
    write(v2 + "/tasks.md", "- [x] 1.0 Complete the endpoint\n");
    write(specKit + "/tasks.md", "- [X] T001 Scaffold\n");

    for (String[] expected :
        List.of(
            new String[] {v2, "execute-tasks", v2 + "/implementation/recap.md"},
            new String[] {specKit, "execute-tasks", specKit + "/recap.md"},
            new String[] {specKit, "tasks", specKit + "/recap-create-tasks.md"})) {
      CycleState state =
          specCycle(ONE_DONE_ONE_FAILED).toBuilder()
              .spec(expected[0])
              .instruction(expected[1])
              .build();

      ExpressResult result = expressed(express(null).run(context(state)));

      assertEquals(expected[2], result.recapPath());
      assertTrue(read(expected[2]).startsWith("# " + Path.of(expected[0]).getFileName()));
    }
    assertFalse(Files.exists(workspace.resolve(".agent-os")), "no v1 folder in a v2/Spec Kit one");
  }

  @Test
  void namesTheRecapOfAGoalCycleAfterTheCycle() throws IOException {
    CycleState goal =
        specCycle(ONE_DONE_ONE_FAILED).toBuilder().spec(null).goal("add a dark mode\n").build();

    ExpressResult result = expressed(express(null).run(context(goal)));

    assertEquals(".agent-os/recaps/goal-c-1.md", result.recapPath());
    String recap = read(".agent-os/recaps/goal-c-1.md");
    assertTrue(recap.startsWith("# goal-c-1 — recap\n"), recap);
    assertTrue(recap.contains("\n**Goal:** add a dark mode\n"), recap);
  }

  @Test
  void keepsARecapTooLargeForStateAsAnArtifact() throws IOException {
    String huge = "x".repeat(Artifacts.INLINE_LIMIT);
    Execution big =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, T0)
                    .finished(StepStatus.COMPLETED, T0, huge, null, null));

    ExpressResult result = expressed(express(null).run(context(specCycle(big))));

    byte[] recap = Files.readAllBytes(workspace.resolve(result.recapPath()));
    assertEquals(
        new ArtifactRef("recap-1.md", recap.length, Artifacts.sha256(recap)), result.recap());
  }

  @Test
  void keepsASmallRecapAsAnArtifactTooForReadersWithoutTheWorkspace() throws IOException {
    ExpressResult result = expressed(express(null).run(context(specCycle(ONE_DONE_ONE_FAILED))));

    byte[] recap = Files.readAllBytes(workspace.resolve(result.recapPath()));
    assertEquals(
        new ArtifactRef("recap-1.md", recap.length, Artifacts.sha256(recap)), result.recap());
  }

  private static ExpressResult expressed(PhaseOutcome outcome) {
    return assertInstanceOf(PhaseOutcome.Expressed.class, outcome).express();
  }

  private static ExpressPhase express(AgentBackend agent) {
    return new ExpressPhase(
        new RoleAgent(
            Phase.EXPRESS,
            state -> Optional.ofNullable(agent),
            project -> Knowledge.NONE,
            Duration.ofSeconds(5),
            RoleAgent.DEFAULT_MAX_PROMPT_CHARS));
  }

  private DetachedPhaseContext context(CycleState state) {
    return new DetachedPhaseContext(state, workspace);
  }

  private CycleState specCycle(Execution execution) {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .spec(SPEC)
        .workspace(Workspace.atPath(workspace.toString()))
        .iterations(List.of(Iteration.first().withPlan(PLAN).withExecution(execution)))
        .build();
  }

  private String read(String relative) throws IOException {
    return Files.readString(workspace.resolve(relative), StandardCharsets.UTF_8);
  }

  private void write(String relative, String text) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
