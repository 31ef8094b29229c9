package dev.agentos.state;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Cycle states as the code produces them: each one is walked to through {@link Transitions} from a
 * fresh submission, never assembled by hand, so a test of one is a test of what is really stored.
 */
public final class CycleFixtures {
  public static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  public static final Duration LEASE = Duration.ofSeconds(30);
  public static final int MAX_ATTEMPTS = 5;
  public static final String CYCLE_ID = "20261120-100000-k3x9q2";

  private CycleFixtures() {}

  /** {@code seconds} after {@link #T0}. */
  public static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  public static String workerOf(Phase phase) {
    return phase.role() + "-1";
  }

  public static CycleState queued() {
    return queued(CYCLE_ID, CycleOptions.defaults());
  }

  public static CycleState queued(String cycleId, CycleOptions options) {
    return new CycleState.Builder()
        .cycleId(cycleId)
        .project("shop")
        .spec(".agent-os/specs/2026-11-20-cart")
        .goal("a cart that keeps items across sessions")
        .workspace(Workspace.atPath("/repos/shop"))
        .options(options)
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  public static CycleOptions options(int maxIterations, boolean afterPlan, boolean beforeComplete) {
    return new CycleOptions(
        maxIterations,
        new Budget(200_000L, 5.0, 3_600L),
        true,
        new Approvals(afterPlan, beforeComplete),
        List.of("tests", "lint"),
        Map.of(
            "executor", AgentOverride.of("claude-code"), "review", AgentOverride.of("local-llm")),
        List.of("git-commit"),
        false,
        Extra.none());
  }

  /** The claim a worker of {@code phase} makes when the work message arrives. */
  public static CycleState claimed(CycleState state, Instant now) {
    ClaimDecision decision =
        Transitions.claim(
            state,
            state.iteration(),
            state.phase(),
            workerOf(state.phase()),
            LEASE,
            MAX_ATTEMPTS,
            now);
    return assertInstanceOf(ClaimDecision.Claimed.class, decision).state();
  }

  public static Plan plan() {
    return Plan.of(
        "tasks.md",
        List.of(
            PlanStep.of("1", "Cart model", "1.1 Cart entity\n1.2 Persist items", "1"),
            PlanStep.of("2", "Cart API", "2.1 GET /cart\n2.2 POST /cart/items", "2")),
        List.of("task 3 is ticked but its sub-task 3.2 is not"));
  }

  public static StepRecord completedStep(String id, Instant started) {
    return StepRecord.started(id, 1, started)
        .withBaseRef("0c9d8e7f6a5b4c3d3f2c9d1e8b7a6c5d4e3f2a1b")
        .finished(
            StepStatus.COMPLETED,
            started.plusSeconds(40),
            "step " + id + " done",
            new ArtifactRef("20261120-100000-k3x9q2/1/step-" + id + ".log", 20_480, sha('a')),
            "3f2c9d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d")
        .withChanges(StepChanges.of(List.of("cart.py", "tests/test_cart.py"), StepChanges.GIT));
  }

  public static StepRecord failedStep(String id, Instant started) {
    return StepRecord.started(id, 2, started)
        .finished(StepStatus.FAILED, started.plusSeconds(5), "tests did not compile", null, null);
  }

  public static Execution execution(Instant started) {
    return Execution.empty().with(completedStep("1", started)).with(completedStep("2", started));
  }

  public static ExpressResult express() {
    return ExpressResult.of(
        "Cart model and API added; 14 tests.",
        ".agent-os/recaps/2026-11-20-cart.md",
        new ArtifactRef("20261120-100000-k3x9q2/1/recap.md", 18_000, sha('b')));
  }

  public static Review review(Verdict verdict) {
    int score =
        switch (verdict) {
          case PASS -> 92;
          case REVISE -> 74;
          case FAIL -> 31;
        };
    return Review.of(
        verdict,
        score,
        List.of(
            new Check("mvn -q verify", verdict == Verdict.PASS, "exit 0"),
            new Check("every step completed", true, null)),
        verdict == Verdict.PASS
            ? List.of()
            : List.of(
                new FeedbackItem(
                    "cover the empty cart", "CartServiceTest", "an empty cart throws today"),
                FeedbackItem.of("rename Cart#put to add")),
        List.of("persist through the repository, not the entity manager"));
  }

  /** A review no check and no critique judged: it rests on the agents' own reports. */
  public static Review unverifiedReview() {
    return Review.of(
            Verdict.PASS,
            89,
            List.of(new Check("every step completed", true, "2 of 2 steps completed")),
            List.of(),
            List.of())
        .withUnverified("no check ran and no review agent judged the work");
  }

  public static UsageTotals usageOfEveryPhase() {
    UsageTotals usage = UsageTotals.none();
    for (Phase phase : Phase.values()) {
      usage = usage.add(phase, new Usage(1_000 + phase.ordinal(), 200, 0.0125, 12.5));
    }
    return usage;
  }

  public static CycleState planning() {
    return claimed(queued(), at(1));
  }

  public static CycleState executing() {
    return claimed(Transitions.planned(planning(), plan(), at(10)), at(11));
  }

  public static CycleState expressing() {
    return claimed(Transitions.executed(executing(), execution(at(12)), at(100)), at(101));
  }

  public static CycleState reviewing() {
    return claimed(Transitions.expressed(expressing(), express(), at(110)), at(111));
  }

  /** A cycle that asked for approval after the plan and got there. */
  public static CycleState awaitingPlanApproval() {
    CycleState planning = claimed(queued(CYCLE_ID, options(3, true, false)), at(1));
    return Transitions.planned(planning, plan(), at(10));
  }

  public static CycleState awaitingCompletionApproval() {
    CycleState reviewing = reviewing().toBuilder().options(options(3, false, true)).build();
    return Transitions.reviewed(reviewing, review(Verdict.PASS), at(150));
  }

  /**
   * A cycle whose step 1 agent (a Claude Code session) asked a person a question: the step stays
   * RUNNING with its session, the cycle waits in NEEDS_INPUT.
   */
  public static CycleState needsInput() {
    StepRecord asking =
        StepRecord.started("1", 1, at(12))
            .withAgentSession(new AgentSession("claude-code", "3f0c-session", null, null));
    CycleState executing = executing();
    return Transitions.ask(
        executing.withCurrentIteration(
            executing.currentIteration().withExecution(Execution.empty().with(asking))),
        "1",
        "Which currency do prices use?",
        "the spec names none; the code mixes EUR and USD",
        at(40));
  }

  /** A cycle in {@code status}, reached the way a real cycle reaches it. */
  public static CycleState inStatus(Status status) {
    return switch (status) {
      case QUEUED -> queued();
      case PLANNING -> planning();
      case EXECUTING -> executing();
      case EXPRESSING -> expressing();
      case REVIEWING -> reviewing();
      case AWAITING_APPROVAL -> awaitingPlanApproval();
      case NEEDS_INPUT -> needsInput();
      case PAUSED -> Transitions.pause(executing(), "token budget of 200000 spent", at(60));
      case COMPLETED -> Transitions.reviewed(reviewing(), review(Verdict.PASS), at(150));
      case FAILED ->
          Transitions.fail(executing(), ErrorCode.AGENT_FAILED, "agent exited 1 on step 2", at(60));
      case CANCELLED -> Transitions.cancel(executing(), at(60));
    };
  }

  private static String sha(char c) {
    return String.valueOf(c).repeat(64);
  }
}
