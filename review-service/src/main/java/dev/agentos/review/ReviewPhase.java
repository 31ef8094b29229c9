package dev.agentos.review;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.checks.CheckCatalog;
import dev.agentos.checks.NamedCheck;
import dev.agentos.checks.WorkspaceChecks;
import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.knowledge.DecisionLog;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.prompt.CycleProgress;
import dev.agentos.prompt.PromptSection;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.prompt.StepRecordText;
import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.CriterionVerdict;
import dev.agentos.spec.SpecFolder;
import dev.agentos.spec.Task;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Review;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Verdict;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * REVIEW: checks the iteration's work and decides. The checks: every plan step completed, the
 * evidence that the agents' steps did what they report (the iteration changed files, each completed
 * step changed something or said why not — see {@link Evidence}), every task of the spec ticked,
 * every check the cycle names passes (or, naming none, every check the workspace commits). When no
 * check ran and no agent critiqued, the review is marked unverified, never scores HIGH, and the
 * iteration's recap says so (as it carries the criteria verdicts: in a git workspace that file
 * alone is committed to the cycle's branch, and its copy in the artifact store replaced). With a
 * review agent configured, the agent critiques the work against the spec and the standards on the
 * five Agent OS criteria (completeness 30, accuracy 25, clarity 20, compliance 15, usability 10);
 * without one, the checks alone decide. PASS needs every check passed and a score of at least 70;
 * otherwise the cycle goes round again with the feedback while iterations remain, and fails when
 * none do. Insights the agent names go to the team's decision log.
 */
public final class ReviewPhase implements PhaseLogic {
  static final int PASS_SCORE = 70;

  /**
   * The highest score of a review no check and no critique judged: the top of MEDIUM, never HIGH,
   * since nothing but the agents' reports and Review's bookkeeping stand behind it.
   */
  static final int UNVERIFIED_MAX_SCORE = 89;

  static final String UNVERIFIED =
      "unverified: no check ran and no review agent judged the work; the verdict rests on the"
          + " agents' own reports and what Agent OS measured (name a check with --verify or"
          + " .agent-os/checks.yml, or configure a review agent)";

  private final RoleAgent role;
  private final Duration verifyTimeout;
  private final CheckCatalog catalog;
  private final DecisionLog decisions;
  private final Clock clock;
  private final PromptTemplate template = PromptTemplate.load("review-critique");

  public ReviewPhase(
      RoleAgent role,
      Duration verifyTimeout,
      CheckCatalog catalog,
      DecisionLog decisions,
      Clock clock) {
    this.role = role;
    this.verifyTimeout = verifyTimeout;
    this.catalog = catalog;
    this.decisions = decisions;
    this.clock = clock;
  }

  @Override
  public Phase phase() {
    return Phase.REVIEW;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    CycleState state = context.state();
    Iteration iteration = state.currentIteration();
    Instruction instruction = role.instruction(context);
    List<Check> checks = new ArrayList<>();
    checks.add(stepsCompleted(iteration));
    if (instruction.action() == Instruction.Action.AGENT) {
      checks.addAll(Evidence.of(iteration));
    }
    List<CriterionVerdict> criteria = List.of();
    if (instruction.plan() == Instruction.PlanMode.TASKS) {
      tasksTicked(context).ifPresent(checks::add);
      criteria = specCriteria(context);
    }
    checks.addAll(InstructionChecks.run(instruction, context.workspace(), state));
    List<Check> named = namedChecks(state, context.workspace());
    checks.addAll(named);
    // A check judged the work when its command ran to its end; one that was not defined or timed
    // out failed without saying anything about the work.
    boolean checked = named.stream().anyMatch(check -> check.exitCode() != null);
    Optional<AgentBackend> agent = role.agentFor(state);
    List<CriterionVerdict> byCheck = criteria;
    Optional<Judged> judged =
        agent.map(a -> critique(context, a, instruction, List.copyOf(checks), byCheck));
    List<CriterionVerdict> verdicts = judged.map(Judged::criteria).orElse(criteria);
    SpecCriteria.check(verdicts).ifPresent(checks::add);
    List<String> insights = new ArrayList<>();
    RecapUpdates recap = new RecapUpdates(context.workspace(), iteration.express());
    recap.criteria(verdicts, judged.isPresent()).ifPresent(insights::add);
    List<FeedbackItem> feedback = new ArrayList<>();
    for (Check check : checks) {
      if (!check.passed()) {
        feedback.add(new FeedbackItem(check.name() + " failed", "review check", check.detail()));
      }
    }
    boolean allPassed = feedback.isEmpty();
    int score;
    if (judged.isPresent()) {
      Critique critique = judged.get().critique();
      score = critique.score();
      feedback.addAll(critique.feedback());
      checks.add(new Check("model critique", true, "scored " + critique.scores()));
      int n = 0;
      for (Critique.Insight insight : critique.insights()) {
        n++;
        insights.add(insight.title() + ": " + insight.decision());
        decisions.record(
            state.project(),
            new DecisionRecord(
                state.cycleId() + "-" + iteration.number() + "-" + n,
                insight.title(),
                insight.context(),
                insight.decision(),
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                "review of cycle " + state.cycleId()));
      }
    } else {
      long passed = checks.stream().filter(Check::passed).count();
      score = (int) Math.round(100.0 * passed / checks.size());
      insights.add("no review agent is configured: the checks alone decided");
    }
    boolean unverified = !checked && agent.isEmpty();
    if (unverified) {
      score = Math.min(score, UNVERIFIED_MAX_SCORE);
    }
    Verdict verdict = verdict(allPassed, score, state);
    if (unverified) {
      recap.unverified(verdict, score, UNVERIFIED).ifPresent(insights::add);
    }
    ArtifactRef stored =
        recap.publish(context, "agentos: review of iteration " + iteration.number()).orElse(null);
    Review review = Review.of(verdict, score, checks, feedback, insights);
    return new PhaseOutcome.Reviewed(
        unverified ? review.withUnverified(UNVERIFIED) : review, stored);
  }

  /**
   * The checks the cycle names, each run as the operator or the workspace defines it; with none
   * named, the workspace's committed checks. A name nothing defines (or an older state's shell
   * line) fails as a check without running anything.
   */
  private List<Check> namedChecks(CycleState state, Path workspace) {
    List<Check> results = new ArrayList<>();
    List<String> names = state.optionsOrDefaults().verifyOrEmpty();
    try {
      if (names.isEmpty()) {
        for (NamedCheck check : catalog.committed(workspace)) {
          results.add(Verification.run(check, workspace, timeoutOf(check)));
        }
        return results;
      }
      for (String name : names) {
        Optional<NamedCheck> check = catalog.find(name, state.project(), workspace);
        results.add(
            check.isPresent()
                ? Verification.run(check.get(), workspace, timeoutOf(check.get()))
                : new Check(
                    name,
                    false,
                    "no check '"
                        + name
                        + "' is defined for project "
                        + state.project()
                        + " (agentos.checks.<name> or "
                        + WorkspaceChecks.FILE
                        + "); nothing was run"));
      }
    } catch (AgentOsException e) {
      results.add(new Check(WorkspaceChecks.FILE, false, e.getMessage()));
    }
    return results;
  }

  /** The cycle's checks as the review model's {@code run_check} tool runs them, by name. */
  private Map<String, Supplier<String>> checkTools(CycleState state, Path workspace) {
    Map<String, Supplier<String>> tools = new TreeMap<>();
    List<String> names = state.optionsOrDefaults().verifyOrEmpty();
    try {
      List<NamedCheck> checks =
          names.isEmpty()
              ? catalog.committed(workspace)
              : names.stream()
                  .map(name -> catalog.find(name, state.project(), workspace))
                  .flatMap(Optional::stream)
                  .toList();
      for (NamedCheck check : checks) {
        tools.put(
            check.name(),
            () -> {
              Check ran = Verification.run(check, workspace, timeoutOf(check));
              return (ran.passed() ? "PASSED: " : "FAILED: ") + ran.detail();
            });
      }
    } catch (AgentOsException e) {
      // The checks' file is broken: Review's own check says so; the model gets no run_check.
    }
    return tools;
  }

  private Duration timeoutOf(NamedCheck check) {
    return check.timeout() != null ? check.timeout() : verifyTimeout;
  }

  static Verdict verdict(boolean allChecksPassed, int score, CycleState state) {
    if (allChecksPassed && score >= PASS_SCORE) {
      return Verdict.PASS;
    }
    boolean iterationsRemain =
        state.iteration() < state.optionsOrDefaults().maxIterationsOrDefault();
    return iterationsRemain ? Verdict.REVISE : Verdict.FAIL;
  }

  /** The review agent's critique and its verdicts on the criteria the checks left open. */
  record Judged(Critique critique, List<CriterionVerdict> criteria) {}

  private Judged critique(
      PhaseContext context,
      AgentBackend agent,
      Instruction instruction,
      List<Check> checks,
      List<CriterionVerdict> criteria) {
    CycleState state = context.state();
    // A model reviewer reads the workspace, the iteration's diff and runs the checks with its
    // tools.
    ToolAccess tools =
        ToolAccess.review(
            context.workspace(),
            CycleProgress.iterationBase(state).orElse(null),
            checkTools(state, context.workspace()));
    return AgentCalls.askParsed(
        context,
        agent,
        tools,
        correction -> request(context, instruction, checks, criteria, correction),
        answer ->
            new Judged(
                Critique.parse(answer), CriteriaJudgement.judge(Critique.tree(answer), criteria)),
        "the JSON object",
        "critique");
  }

  private dev.agentos.agent.AgentRequest request(
      PhaseContext context,
      Instruction instruction,
      List<Check> checks,
      List<CriterionVerdict> criteria,
      String correction) {
    CycleState state = context.state();
    StringBuilder checkText = new StringBuilder();
    for (Check check : checks) {
      checkText
          .append("- ")
          .append(check.passed() ? "PASSED " : "FAILED ")
          .append(check.name())
          .append(": ")
          .append(check.detail())
          .append('\n');
    }
    List<PromptSection> sections = new ArrayList<>(role.context(context, null).sections());
    sections.add(PromptSection.required("cycle_id", state.cycleId()));
    sections.add(PromptSection.required("iteration", Integer.toString(state.iteration())));
    sections.add(new PromptSection("checks", "the checks", checkText.toString().strip(), 70));
    sections.add(
        new PromptSection(
            "steps", "the step record", StepRecordText.of(state.currentIteration()), 60));
    sections.add(
        new PromptSection(
            "diff",
            "the diff",
            CycleProgress.diff(context.workspace(), state),
            CycleProgress.DIFF));
    sections.add(CycleProgress.historySection(state));
    sections.add(
        new PromptSection("criteria", "the criteria", CriteriaJudgement.prompt(criteria), 65));
    sections.add(PromptSection.required("correction", correction));
    sections.add(
        PromptSection.required(
            "guidance",
            Instruction.fill(
                instruction.reviewGuidance().orElse(instruction.description()),
                state.spec(),
                state.goal())));
    return role.request(context, template.render(sections, role.maxPromptChars()), Map.of());
  }

  private static Check stepsCompleted(Iteration iteration) {
    List<PlanStep> steps = iteration.plan() == null ? List.of() : iteration.plan().steps();
    List<String> unfinished = new ArrayList<>();
    for (PlanStep step : steps) {
      Optional<StepRecord> record = iteration.executionOrEmpty().step(step.id());
      StepStatus status = record.map(StepRecord::status).orElse(StepStatus.PENDING);
      if (status != StepStatus.COMPLETED) {
        // A skipped step says which step it waited for: the one to look at is that one.
        String why =
            status == StepStatus.SKIPPED && record.get().summary() != null
                ? " (" + record.get().summary() + ")"
                : "";
        unfinished.add(step.id() + " (" + step.title() + "): " + status + why);
      }
    }
    return new Check(
        "every step completed",
        unfinished.isEmpty(),
        unfinished.isEmpty()
            ? steps.size() + " of " + steps.size() + " steps completed"
            : "not completed: " + String.join("; ", unfinished));
  }

  private static Optional<Check> tasksTicked(PhaseContext context) {
    CycleState state = context.state();
    if (state.spec() == null) {
      return Optional.empty();
    }
    Optional<TasksFile> tasks = SpecFolder.read(context.workspace(), state.spec()).tasks();
    if (tasks.isEmpty()) {
      return Optional.empty();
    }
    List<String> open = tasks.get().unfinished().stream().map(ReviewPhase::label).toList();
    return Optional.of(
        new Check(
            "every task of the spec ticked",
            open.isEmpty(),
            open.isEmpty()
                ? tasks.get().tasks().size() + " tasks ticked in tasks.md"
                : "unticked in tasks.md: " + String.join("; ", open)));
  }

  /** The spec's criteria with the verdicts its files give. */
  private static List<CriterionVerdict> specCriteria(PhaseContext context) {
    String spec = context.state().spec();
    if (spec == null || !Files.isDirectory(context.workspace().resolve(spec))) {
      return List.of();
    }
    SpecFolder folder = SpecFolder.read(context.workspace(), spec);
    return CriteriaVerdicts.byCheck(folder.criteria(), folder.tasks().or(folder::planSections));
  }

  private static String label(Task task) {
    return task.number().isEmpty() ? task.title() : task.number() + ". " + task.title();
  }
}
