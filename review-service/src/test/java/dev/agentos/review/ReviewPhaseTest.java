package dev.agentos.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.RoleAgent;
import dev.agentos.checks.CheckCatalog;
import dev.agentos.checks.NamedCheck;
import dev.agentos.checks.WorkspaceChecks;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.knowledge.DecisionLog;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Band;
import dev.agentos.state.Check;
import dev.agentos.state.CycleOptions;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewPhaseTest {

  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final Usage CALL_USAGE = new Usage(2000, 300, 0.02, 3.0);
  private static final String TICKED =
      "- [x] 1. Add the cart model\n  - [x] 1.1 Implement Cart\n- [x] 3. Checkout page\n";
  private static final Plan PLAN =
      Plan.of(
          "tasks.md",
          List.of(
              PlanStep.of("1", "1. Add the cart model", "", "1"),
              PlanStep.of("2", "3. Checkout page", "", "3")),
          List.of());
  private static final Execution ALL_COMPLETED =
      Execution.empty()
          .with(StepRecord.started("1", 1, T0).finished(StepStatus.COMPLETED, T0, "ok", null, null))
          .with(
              StepRecord.started("2", 1, T0).finished(StepStatus.COMPLETED, T0, "ok", null, null));
  private static final String CRITIQUE_89 =
      """
      {"scores": {"completeness": 27, "accuracy": 22, "clarity": 18, "compliance": 13,
                  "usability": 9},
       "feedback": [{"what": "Document the cart API", "where": "README.md", "why": "users ask"}],
       "insights": [
         {"title": "Keep carts server-side", "context": "sessions expire",
          "decision": "store carts in the DB"},
         {"title": "skipped: no decision"},
         {"title": "Test with an empty cart", "decision": "add the empty case first"}]}
      """;

  @TempDir Path workspace;

  private final List<DecisionRecord> logged = new ArrayList<>();
  private final DecisionLog decisionLog =
      (project, record) -> {
        assertEquals("shop", project);
        logged.add(record);
      };

  @BeforeEach
  void writeSpec() throws IOException {
    write(SPEC + "/spec-lite.md", "A cart that keeps items.");
    write(SPEC + "/tasks.md", TICKED);
  }

  @Test
  void passesWithAScoreOf100WhenEveryCheckPassesAndNoAgentIsConfigured() {
    Review review = reviewed(review(null).run(context(cycle(ALL_COMPLETED, "ok"))));

    assertEquals(Verdict.PASS, review.verdict());
    assertEquals(100, review.score());
    assertEquals(Band.HIGH, review.band());
    assertEquals(
        List.of(
            new Check("every step completed", true, "2 of 2 steps completed"),
            new Check("every task of the spec ticked", true, "2 tasks ticked in tasks.md"),
            new Check("ok", true, "exit 0", "agentos.checks.ok", 0)),
        review.checks());
    assertEquals(List.of(), review.feedback());
    assertEquals(
        List.of("no review agent is configured: the checks alone decided"), review.insights());
    assertNull(review.unverified(), "the check 'ok' ran: the work was judged");
  }

  @Test
  void doesNotPassAStepThatSaysItIsDoneButChangedNoFile() {
    Execution claimed =
        Execution.empty()
            .with(completed("1", "added cart.py", 1, "cart.py"))
            .with(completed("2", "I implemented the checkout page.", 0));

    Review review = reviewed(review(null).run(context(cycle(claimed, "ok"))));

    assertEquals(Verdict.REVISE, review.verdict());
    assertEquals(
        List.of(
            new Check(Evidence.ITERATION_CHANGED, true, "1 files changed: cart.py"),
            new Check(
                Evidence.EACH_STEP_CHANGED,
                false,
                "step(s) 2 reported done but changed no file and did not say why (a line"
                    + " starting 'NO CHANGE:')")),
        review.checks().subList(1, 3));
    assertEquals(Evidence.EACH_STEP_CHANGED + " failed", review.feedback().get(0).what());
  }

  @Test
  void failsAnIterationWhoseStepsChangedNothingEvenWithAHighCritique() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, CRITIQUE_89);
    Execution claimed =
        Execution.empty()
            .with(completed("1", "done", 0))
            .with(completed("2", "NO CHANGE: step 1 did it", 0));

    Review review = reviewed(review(agent).run(context(cycle(claimed))));

    assertEquals(Verdict.REVISE, review.verdict(), "a model's 89 does not outweigh no change");
    assertEquals(
        new Check(
            Evidence.ITERATION_CHANGED,
            false,
            "no completed step changed a file: the work rests on the agents' own reports"),
        review.checks().get(1));
    assertTrue(
        agent.requests().get(0).prompt().contains("- FAILED " + Evidence.ITERATION_CHANGED),
        "the review agent is told");
  }

  @Test
  void acceptsAStepThatSaysWhyItNeededNoChange() {
    Execution explained =
        Execution.empty()
            .with(completed("1", "added cart.py", 2, "cart.py", "tests/test_cart.py"))
            .with(completed("2", "Looked at it.\nno change: the page exists since step 1", 0));

    Review review = reviewed(review(null).run(context(cycle(explained, "ok"))));

    assertEquals(Verdict.PASS, review.verdict());
    assertEquals(
        new Check(
            Evidence.EACH_STEP_CHANGED,
            true,
            "1 of 2 changed files; no change needed: 2 (the page exists since step 1)"),
        review.checks().get(2));
  }

  @Test
  void isUnverifiedAndNeverHighWhenNeitherACheckNorACritiqueJudgedTheWork() {
    Execution changed =
        Execution.empty()
            .with(completed("1", "added cart.py", 1, "cart.py"))
            .with(completed("2", "added page.html", 1, "page.html"));

    Review review = reviewed(review(null).run(context(cycle(changed))));

    assertEquals(Verdict.PASS, review.verdict(), "every check passed; none judged the work");
    assertEquals(ReviewPhase.UNVERIFIED_MAX_SCORE, review.score(), "not a silent 100");
    assertEquals(Band.MEDIUM, review.band());
    assertEquals(ReviewPhase.UNVERIFIED, review.unverified());
    assertTrue(review.unverified().startsWith("unverified: no check ran"));
  }

  @Test
  void theRecapSaysWhenTheVerdictIsUnverifiedAndNothingWhenACheckJudgedTheWork()
      throws IOException {
    String recapPath = ".agent-os/recaps/2026-11-20-cart.md";
    String written =
        "# cart\n\n## What was done\n\n- ✅ 1. Add the cart model\n\n## Next steps\n\nReview.\n";
    write(recapPath, written);
    Execution changed =
        Execution.empty()
            .with(completed("1", "added cart.py", 1, "cart.py"))
            .with(completed("2", "added page.html", 1, "page.html"));

    PhaseOutcome.Reviewed checked =
        assertInstanceOf(
            PhaseOutcome.Reviewed.class,
            review(null).run(context(withRecap(cycle(changed, "ok"), recapPath))));

    assertNull(checked.review().unverified());
    assertEquals(written, Files.readString(workspace.resolve(recapPath)), "nothing to add");
    assertNull(checked.recap(), "Express's stored recap stays");

    PhaseOutcome.Reviewed unchecked =
        assertInstanceOf(
            PhaseOutcome.Reviewed.class,
            review(null).run(context(withRecap(cycle(changed), recapPath))));

    assertEquals(ReviewPhase.UNVERIFIED, unchecked.review().unverified());
    String noted =
        written
            + "\n## Verification\n\n⚠️ Review: PASS, score 89 (MEDIUM), "
            + ReviewPhase.UNVERIFIED
            + "\n";
    assertEquals(noted, Files.readString(workspace.resolve(recapPath)));
    byte[] bytes = noted.getBytes(StandardCharsets.UTF_8);
    assertEquals(
        new ArtifactRef(STORED_RECAP, bytes.length, Artifacts.sha256(bytes)),
        unchecked.recap(),
        "stored again, in place of Express's copy");
    reviewed(review(null).run(context(withRecap(cycle(changed), recapPath))));
    assertEquals(
        1,
        Files.readString(workspace.resolve(recapPath)).split("## Verification", -1).length - 1,
        "a review run again replaces its note");
  }

  @Test
  void aCheckThatWasNotDefinedDoesNotVerifyTheWork() {
    Review review = reviewed(review(null).run(context(cycle(ALL_COMPLETED, "undefined"))));

    assertEquals(ReviewPhase.UNVERIFIED, review.unverified());
    assertFalse(review.verdict() == Verdict.PASS);
  }

  private static StepRecord completed(String id, String summary, int count, String... files) {
    return StepRecord.started(id, 1, T0)
        .finished(StepStatus.COMPLETED, T0, summary, null, null)
        .withChanges(new StepChanges(count, List.of(files), StepChanges.GIT));
  }

  @Test
  void revisesWithFeedbackNamingTheFailedCommandAndItsOutputWhileIterationsRemain() {
    Review review = reviewed(review(null).run(context(cycle(ALL_COMPLETED, "ok", "exit3"))));

    assertEquals(Verdict.REVISE, review.verdict(), "a failed check blocks PASS even at 75");
    assertEquals(75, review.score());
    assertEquals(
        new Check("exit3", false, "exit 3: hi", "agentos.checks.exit3", 3), review.checks().get(3));
    assertEquals(
        List.of(new FeedbackItem("exit3 failed", "review check", "exit 3: hi")), review.feedback());
  }

  @Test
  void failsWhenAFailedCheckMeetsTheLastIteration() {
    CycleState last =
        withOptions(cycleAt(2, ALL_COMPLETED), "{\"max_iterations\": 2, \"verify\": [\"broken\"]}");

    Review review = reviewed(review(null).run(context(last)));

    assertEquals(Verdict.FAIL, review.verdict());
    assertEquals(
        new Check("broken", false, "exit 1: broken", "agentos.checks.broken", 1),
        review.checks().get(2));
  }

  @Test
  void namesTheStepsNotCompletedAndTheTasksNotTicked() throws IOException {
    write(SPEC + "/tasks.md", "- [x] 1. Add the cart model\n- [ ] 3. Checkout page\n");
    Execution oneFailed =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, T0).finished(StepStatus.COMPLETED, T0, "ok", null, null))
            .with(
                StepRecord.started("2", 2, T0).finished(StepStatus.FAILED, T0, "boom", null, null));

    Review review = reviewed(review(null).run(context(cycle(oneFailed))));

    assertEquals(Verdict.REVISE, review.verdict());
    assertEquals(0, review.score());
    assertEquals(
        List.of(
            new Check("every step completed", false, "not completed: 2 (3. Checkout page): FAILED"),
            new Check(
                "every task of the spec ticked", false, "unticked in tasks.md: 3. Checkout page")),
        review.checks());
    assertEquals(2, review.feedback().size());
  }

  @Test
  void namesTheStepASkippedStepWaitedFor() throws IOException {
    write(SPEC + "/tasks.md", "- [ ] 1. Add the cart model\n- [ ] 3. Checkout page\n");
    Execution skipped =
        Execution.empty()
            .with(
                StepRecord.started("1", 1, T0).finished(StepStatus.FAILED, T0, "boom", null, null))
            .with(
                StepRecord.started("2", 0, T0)
                    .finished(
                        StepStatus.SKIPPED,
                        T0,
                        "not run: it waits for step 1, which did not complete",
                        null,
                        null));

    Review review = reviewed(review(null).run(context(cycle(skipped))));

    assertEquals(
        new Check(
            "every step completed",
            false,
            "not completed: 1 (1. Add the cart model): FAILED; 2 (3. Checkout page): SKIPPED (not"
                + " run: it waits for step 1, which did not complete)"),
        review.checks().get(0));
  }

  @Test
  void aLaterIterationsReviewAgentIsToldTheEarlierReviewsWhatEachStepDidAndTheFilesChanged() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, CRITIQUE_89);
    Execution changed =
        Execution.empty()
            .with(completed("1", "added cart.py", 1, "cart.py"))
            .with(completed("2", "added page.html", 1, "page.html"));
    CycleState second = cycleAt(2, changed);
    Review earlier =
        Review.of(
            Verdict.REVISE,
            57,
            List.of(),
            List.of(new FeedbackItem("make the build pass", null, "mvn test fails")),
            List.of());
    CycleState reviewedBefore =
        second.toBuilder()
            .iterations(
                List.of(second.iterations().get(0).withReview(earlier), second.currentIteration()))
            .build();

    reviewed(review(agent).run(context(reviewedBefore)));

    String prompt = agent.requests().get(0).prompt();
    assertTrue(
        prompt.contains(
            "## Earlier iterations' reviews\n- iteration 1: REVISE, score 57\n"
                + "  - make the build pass — mvn test fails"),
        prompt);
    assertTrue(prompt.contains("- 1. 1. Add the cart model: COMPLETED\n  added cart.py\n"), prompt);
    assertTrue(
        prompt.contains(
            "- PASSED the iteration changed the workspace: 2 files changed: cart.py, page.html\n"),
        prompt);
  }

  @Test
  void sumsTheAgentsScoresAppendsItsFeedbackAndLogsItsInsights() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, CRITIQUE_89);
    DetachedPhaseContext context = context(cycle(ALL_COMPLETED, "ok"));

    Review review = reviewed(review(agent).run(context));

    assertEquals(89, review.score());
    assertEquals(Band.MEDIUM, review.band());
    assertEquals(Verdict.PASS, review.verdict());
    assertEquals(
        new Check(
            "model critique",
            true,
            "scored {completeness=27, accuracy=22, clarity=18, compliance=13, usability=9}"),
        review.checks().get(3));
    assertEquals(
        List.of(new FeedbackItem("Document the cart API", "README.md", "users ask")),
        review.feedback());
    assertEquals(
        List.of(
            "Keep carts server-side: store carts in the DB",
            "Test with an empty cart: add the empty case first"),
        review.insights());
    LocalDate day = LocalDate.of(2026, 11, 20);
    assertEquals(
        List.of(
            new DecisionRecord(
                "c-1-1-1",
                "Keep carts server-side",
                "sessions expire",
                "store carts in the DB",
                day,
                "review of cycle c-1"),
            new DecisionRecord(
                "c-1-1-2",
                "Test with an empty cart",
                null,
                "add the empty case first",
                day,
                "review of cycle c-1")),
        logged);
    String prompt = agent.requests().get(0).prompt();
    assertTrue(
        prompt.contains(
            "## Checks already run\n- PASSED every step completed: 2 of 2 steps completed\n"),
        prompt);
    assertTrue(prompt.contains("- PASSED ok: exit 0\n"), prompt);
    assertTrue(prompt.contains("## Spec\nA cart that keeps items.\n"), prompt);
    assertEquals("review", agent.requests().get(0).role());
    assertEquals(List.of(CALL_USAGE), context.usage());
  }

  @Test
  void theAgentJudgesTheCriteriaTheFilesCannotAndTheRecapListsEveryVerdict() throws IOException {
    write(
        SPEC + "/tasks.md",
        TICKED + "\n## Success Metrics\n- [x] Builds clean\n- Loads in 2 s\n- Users return\n");
    String recapPath = ".agent-os/recaps/2026-11-20-cart.md";
    write(recapPath, "# cart\n\n## Criteria\n\nbefore\n\n## Next steps\n\nReview.\n");
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE,
            CRITIQUE_89.replace(
                "\"insights\"",
                "\"criteria\": [{\"id\": \"C2\", \"verdict\": \"not_met\", \"why\":"
                    + " \"no timing in the diff\"}, {\"id\": \"C3\", \"verdict\":"
                    + " \"needs_person\", \"why\": \"only usage shows it\"}], \"insights\""));
    CycleState expressed = withRecap(cycle(ALL_COMPLETED, "ok"), recapPath);

    Review review = reviewed(review(agent).run(context(expressed)));

    String prompt = agent.requests().get(0).prompt();
    assertTrue(
        prompt.contains("- C2: Loads in 2 s [Success Metrics]\n- C3: Users return [Success"),
        prompt);
    Check criteria =
        review.checks().stream().filter(c -> c.name().equals("spec criteria")).findFirst().get();
    assertEquals(
        new Check(
            "spec criteria",
            false,
            "1 met, 1 not met, 1 need a person: met: Builds clean [Success Metrics]; not met"
                + " (review agent: no timing in the diff): Loads in 2 s [Success Metrics]; needs a"
                + " person (review agent: only usage shows it): Users return [Success Metrics]"),
        criteria);
    assertEquals(Verdict.REVISE, review.verdict(), "a criterion not met sends the work back");
    assertEquals("spec criteria failed", review.feedback().get(0).what());
    String recap = Files.readString(workspace.resolve(recapPath));
    assertTrue(
        recap.contains(
            "- ❌ not met: Loads in 2 s (Success Metrics; review agent: no timing in the diff)\n"),
        recap);
    assertTrue(recap.endsWith("\n## Next steps\n\nReview.\n"), recap);
    assertFalse(recap.contains("before"), recap);
  }

  @Test
  void withoutAnAgentTheFilesAloneJudgeTheCriteriaAndARecapThatIsGoneIsANote() throws IOException {
    write(SPEC + "/tasks.md", TICKED + "\n## Quality Gates\n- Reviewed by a person\n");
    CycleState expressed = withRecap(cycle(ALL_COMPLETED, "ok"), ".agent-os/recaps/gone.md");

    Review review = reviewed(review(null).run(context(expressed)));

    assertEquals(Verdict.PASS, review.verdict(), "a criterion for a person does not hold it back");
    assertTrue(
        review
            .insights()
            .contains("recap .agent-os/recaps/gone.md is gone: criteria not written to it"),
        review.insights().toString());
  }

  @Test
  void putsTheAgentsFeedbackAfterTheFailedChecksAndRevisesDespiteAHighScore() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, CRITIQUE_89);

    Review review = reviewed(review(agent).run(context(cycle(ALL_COMPLETED, "exit4"))));

    assertEquals(Verdict.REVISE, review.verdict());
    assertEquals(
        List.of(
            new FeedbackItem("exit4 failed", "review check", "exit 4"),
            new FeedbackItem("Document the cart API", "README.md", "users ask")),
        review.feedback());
    assertTrue(
        agent.requests().get(0).prompt().contains("- FAILED exit4: exit 4\n"),
        "the agent sees the failed check");
  }

  @Test
  void sendsAMalformedCritiqueBackOnceWithTheReasonAndUsesTheSecondAnswer() {
    ScriptedAgent agent = ScriptedAgent.answering(CALL_USAGE, "Looks good to me!", CRITIQUE_89);
    DetachedPhaseContext context = context(cycle(ALL_COMPLETED));

    Review review = reviewed(review(agent).run(context));

    assertEquals(89, review.score());
    assertEquals(2, agent.requests().size());
    assertFalse(agent.requests().get(0).prompt().contains("rejected"));
    assertTrue(
        agent
            .requests()
            .get(1)
            .prompt()
            .contains(
                "## Your previous answer was rejected\nthe answer holds no JSON object. Answer"
                    + " again with only the JSON object.\n"),
        agent.requests().get(1).prompt());
    assertEquals(List.of(CALL_USAGE, CALL_USAGE), context.usage());
  }

  @Test
  void treatsAScoreAboveItsMaximumAsMalformed() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE,
            CRITIQUE_89.replace("\"completeness\": 27", "\"completeness\": 31"),
            CRITIQUE_89);

    Review review = reviewed(review(agent).run(context(cycle(ALL_COMPLETED))));

    assertEquals(89, review.score());
    assertEquals(2, agent.requests().size());
    assertTrue(
        agent
            .requests()
            .get(1)
            .prompt()
            .contains("scores.completeness must be a whole number from 0 to 30, not 31"),
        agent.requests().get(1).prompt());
  }

  @Test
  void failsWithAgentAnswerInvalidWhenTheAgentAnswersAMalformedCritiqueTwice() {
    ScriptedAgent agent =
        ScriptedAgent.answering(
            CALL_USAGE, "{\"scores\": {}}", "{\"scores\": {\"completeness\": 30}}");

    AgentOsException error =
        assertThrows(
            AgentOsException.class, () -> review(agent).run(context(cycle(ALL_COMPLETED))));

    assertEquals(ErrorCode.AGENT_ANSWER_INVALID, error.code());
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "the review agent answered an invalid critique twice: scores.accuracy must be a"
                    + " whole number from 0 to 25"),
        error.getMessage());
    assertEquals(2, agent.requests().size());
    assertEquals(List.of(), logged);
  }

  @Test
  void failsAVerifyCommandThatOutlivesItsTimeout() {
    Check check =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> Verification.run(check("sleep 30"), workspace, Duration.ofMillis(300)));

    assertEquals(new Check("c", false, "timed out after PT0.3S", "agentos.checks.c", null), check);
  }

  @Test
  void runsTheVerifyCommandInTheWorkspace() throws IOException {
    write("marker.txt", "here");

    Check check = Verification.run(check("cat marker.txt"), workspace, Duration.ofSeconds(10));

    assertEquals(new Check("c", true, "exit 0: here", "agentos.checks.c", 0), check);
  }

  @Test
  void returnsWithinTheTimeoutWhenTheCommandLeavesABackgroundChildHoldingItsOutput() {
    Check check =
        assertTimeoutPreemptively(
            Duration.ofSeconds(4),
            () ->
                Verification.run(
                    check("sleep 8 & echo started"), workspace, Duration.ofSeconds(1)));

    assertTrue(check.detail().contains("started"), check.detail());
  }

  @Test
  void runsTheWorkspacesCommittedChecksWhenTheCycleNamesNone() throws IOException {
    write(WorkspaceChecks.FILE, "checks:\n  notes: test -f NOTES.md\n  listing: ls\n");

    Review review = reviewed(review(null).run(context(cycle(ALL_COMPLETED))));

    assertEquals(
        List.of(
            new Check("listing", true, review.checks().get(2).detail(), WorkspaceChecks.FILE, 0),
            new Check("notes", false, "exit 1", WorkspaceChecks.FILE, 1)),
        review.checks().subList(2, 4));
    assertEquals(Verdict.REVISE, review.verdict());
  }

  @Test
  void aNamedCheckOfTheWorkspaceRunsFromItsCommittedFileAndTheOperatorsWinsANameClash()
      throws IOException {
    write(WorkspaceChecks.FILE, "checks:\n  mine: echo from-repo\n  ok: echo repo-ok\n");

    Review review = reviewed(review(null).run(context(cycle(ALL_COMPLETED, "mine", "ok"))));

    assertEquals(
        new Check("mine", true, "exit 0: from-repo", WorkspaceChecks.FILE, 0),
        review.checks().get(2));
    assertEquals(new Check("ok", true, "exit 0", "agentos.checks.ok", 0), review.checks().get(3));
  }

  @Test
  void aShellLineLeftInAnOlderStateIsNeverRun() {
    CycleState older =
        withOptions(cycleAt(1, ALL_COMPLETED), "{\"verify\": [\"touch pwned.txt\"]}");

    Review review = reviewed(review(null).run(context(older)));

    Check check = review.checks().get(2);
    assertEquals("touch pwned.txt", check.name());
    assertFalse(check.passed());
    assertTrue(check.detail().contains("nothing was run"), check.detail());
    assertFalse(Files.exists(workspace.resolve("pwned.txt")), "the line did not run");
    assertEquals(Verdict.REVISE, review.verdict());
  }

  @Test
  void anUnreadableChecksFileFailsAsACheck() throws IOException {
    write(WorkspaceChecks.FILE, "checks: [a, b]\n");

    Review review = reviewed(review(null).run(context(cycle(ALL_COMPLETED))));

    Check check = review.checks().get(2);
    assertEquals(WorkspaceChecks.FILE, check.name());
    assertFalse(check.passed());
    assertTrue(check.detail().contains("'checks:' map"), check.detail());
  }

  private static NamedCheck check(String run) {
    return new NamedCheck("c", run, null, "agentos.checks.c");
  }

  private static Review reviewed(PhaseOutcome outcome) {
    return assertInstanceOf(PhaseOutcome.Reviewed.class, outcome).review();
  }

  private ReviewPhase review(AgentBackend agent) {
    return new ReviewPhase(
        new RoleAgent(
            Phase.REVIEW,
            state -> Optional.ofNullable(agent),
            project -> Knowledge.NONE,
            Duration.ofSeconds(5),
            RoleAgent.DEFAULT_MAX_PROMPT_CHARS),
        Duration.ofSeconds(10),
        CATALOG,
        decisionLog,
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  private static final CheckCatalog CATALOG =
      new CheckCatalog(
          Map.of(
              "ok", configured("ok", "true"),
              "exit3", configured("exit3", "echo hi; exit 3"),
              "broken", configured("broken", "echo broken >&2; false"),
              "exit4", configured("exit4", "exit 4")));

  private static CheckCatalog.Configured configured(String name, String run) {
    return new CheckCatalog.Configured(
        new NamedCheck(name, run, null, "agentos.checks." + name), null);
  }

  private DetachedPhaseContext context(CycleState state) {
    return new DetachedPhaseContext(state, workspace);
  }

  private CycleState cycle(Execution execution, String... verify) {
    return withOptions(cycleAt(1, execution), Json.writeString(new VerifyOnly(List.of(verify))));
  }

  private CycleState cycleAt(int iteration, Execution execution) {
    List<Iteration> iterations = new ArrayList<>();
    for (int n = 1; n < iteration; n++) {
      iterations.add(n == 1 ? Iteration.first() : Iteration.next(n, List.of()));
    }
    Iteration current =
        iteration == 1
            ? Iteration.first()
            : Iteration.next(iteration, List.of(FeedbackItem.of("make the build pass")));
    iterations.add(current.withPlan(PLAN).withExecution(execution));
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .spec(SPEC)
        .workspace(Workspace.atPath(workspace.toString()))
        .iteration(iteration)
        .iterations(List.copyOf(iterations))
        .build();
  }

  private static final String STORED_RECAP = "c-1/recap-1.md";

  /** The cycle with the recap Express wrote for its iteration, and stored. */
  private static CycleState withRecap(CycleState state, String recapPath) {
    return state.toBuilder()
        .iterations(
            List.of(
                state
                    .currentIteration()
                    .withExpress(
                        ExpressResult.of(
                            "done", recapPath, new ArtifactRef(STORED_RECAP, 1, "0".repeat(64))))))
        .build();
  }

  /** Options from their JSON form, as a submission carries them. */
  private static CycleState withOptions(CycleState state, String optionsJson) {
    CycleOptions options =
        Json.read(optionsJson.getBytes(StandardCharsets.UTF_8), CycleOptions.class);
    return state.toBuilder().options(options).build();
  }

  private record VerifyOnly(List<String> verify) {}

  private void write(String relative, String text) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
