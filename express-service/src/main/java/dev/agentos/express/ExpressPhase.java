package dev.agentos.express;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.RoleAgent;
import dev.agentos.agent.tools.ToolAccess;
import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.prompt.CycleProgress;
import dev.agentos.prompt.PromptSection;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.prompt.StepRecordText;
import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.CriterionVerdict;
import dev.agentos.spec.RoadmapItem;
import dev.agentos.spec.SpecFolder;
import dev.agentos.spec.SpecLayout;
import dev.agentos.spec.SpecLayoutFiles;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.StepStatus;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import dev.agentos.workspace.WorkspaceFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * EXPRESS: turns what the iteration did into something a person reads. It writes the recap where
 * the spec's layout keeps it ({@code .agent-os/recaps/<spec-name>.md} for Agent OS v1, inside the
 * spec folder for v2, v3 and Spec Kit; see {@link SpecLayoutFiles#recapFile}) and puts a short
 * summary and the recap's place into the state. With an express agent configured, the agent writes
 * the summary from the step record; without one, the summary is the step count.
 */
public final class ExpressPhase implements PhaseLogic {
  static final int SUMMARY_CHARS = 2000;

  private final RoleAgent role;
  private final PromptTemplate template = PromptTemplate.load("express-summary");

  public ExpressPhase(RoleAgent role) {
    this.role = role;
  }

  @Override
  public Phase phase() {
    return Phase.EXPRESS;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    CycleState state = context.state();
    Iteration iteration = state.currentIteration();
    String summary = summary(context, iteration);
    Instruction instruction = role.instruction(context);
    if (instruction.action() == Instruction.Action.GIT_COMMIT) {
      // The commit is the deliverable; a recap written now would dirty the tree just committed.
      return new PhaseOutcome.Expressed(ExpressResult.of(summary, null, null));
    }
    Recap recap = Recap.of(state, summary, criteria(context), roadmap(context));
    String relative = recapPath(context, recap.name(), instruction);
    // Through the confined writer: a recap path that a link carries out of the workspace is
    // refused.
    WorkspaceFiles.of(context.workspace()).write(relative, "recap", recap.markdown());
    // Also in the artifact store, whatever its size: readers without the workspace (the web
    // console, a person on another machine) open it from there; the state keeps only its ref.
    ArtifactRef stored =
        context.storeArtifact("recap-" + iteration.number() + ".md", recap.markdown());
    // In a git workspace the recap (and a ticked roadmap) is a commit on the cycle's branch,
    // recorded with the phase's outcome.
    context.commitWork("agentos: recap of iteration " + iteration.number());
    return new PhaseOutcome.Expressed(ExpressResult.of(summary, relative, stored));
  }

  private String summary(PhaseContext context, Iteration iteration) {
    String counted = countedSummary(iteration);
    Optional<AgentBackend> agent = role.agentFor(context.state());
    if (agent.isEmpty()) {
      return counted;
    }
    CycleState state = context.state();
    List<PromptSection> sections = new ArrayList<>(role.context(context, null).sections());
    sections.add(PromptSection.required("cycle_id", state.cycleId()));
    sections.add(PromptSection.required("iteration", Integer.toString(state.iteration())));
    sections.add(new PromptSection("steps", "the step record", StepRecordText.of(iteration), 60));
    sections.add(CycleProgress.changesSection(context.workspace(), state));
    sections.add(CycleProgress.historySection(state));
    String prompt = template.render(sections, role.maxPromptChars());
    // A model agent may write the recap's summary with its tool; else its answer is the summary.
    AtomicReference<String> written = new AtomicReference<>();
    String answered =
        AgentCalls.call(
                context,
                agent.get(),
                role.request(context, prompt, Map.of()),
                ToolAccess.express(context.workspace(), written::set))
            .text();
    String answer =
        (written.get() != null ? written.get() : answered == null ? "" : answered).strip();
    if (answer.isEmpty()) {
      return counted;
    }
    String kept =
        answer.length() <= SUMMARY_CHARS ? answer : answer.substring(0, SUMMARY_CHARS) + "…";
    return counted + " " + kept;
  }

  /**
   * When every task of the spec is done, ticks its item in the product roadmap (Agent OS v1 or
   * v2/v3 product folder) if exactly one item matches; the note says what happened.
   */
  private static Optional<String> roadmap(PhaseContext context) {
    String spec = context.state().spec();
    WorkspaceFiles files = WorkspaceFiles.of(context.workspace());
    if (spec == null || !files.isDirectory(spec)) {
      return Optional.empty();
    }
    SpecFolder folder = SpecFolder.read(context.workspace(), spec);
    if (!folder.tasks().map(TasksFile::allDone).orElse(false)) {
      return Optional.empty();
    }
    for (String root : List.of(".agent-os/product", "agent-os/product")) {
      String relative = root + "/roadmap.md";
      try {
        Optional<String> text = files.read(relative, "roadmap");
        if (text.isPresent()) {
          RoadmapItem result = RoadmapItem.tick(text.get(), folder.name());
          if (!result.text().equals(text.get())) {
            files.write(relative, "roadmap", result.text());
          }
          return Optional.of(result.note() + " (" + relative + ")");
        }
      } catch (AgentOsException e) {
        return Optional.of("roadmap not ticked: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The spec's criteria with the verdicts the files give before Review judges them. */
  private static List<CriterionVerdict> criteria(PhaseContext context) {
    String spec = context.state().spec();
    if (spec == null || !WorkspaceFiles.of(context.workspace()).isDirectory(spec)) {
      return List.of();
    }
    SpecFolder folder = SpecFolder.read(context.workspace(), spec);
    return CriteriaVerdicts.byCheck(folder.criteria(), folder.tasks().or(folder::planSections));
  }

  /**
   * Where the recap goes in the spec's layout (see {@link SpecLayoutFiles#recapFile}): named after
   * the spec (or {@code recap} inside a spec folder) for execute-tasks, as Agent OS names recaps,
   * with {@code -<instruction>} added for any other instruction.
   */
  static String recapPath(PhaseContext context, String base, Instruction instruction) {
    String spec = context.state().spec();
    SpecLayout layout =
        spec == null
            ? SpecLayout.AGENT_OS_V1
            : SpecLayout.ofSpec(context.workspace(), spec).layout();
    String suffix =
        instruction.plan() == Instruction.PlanMode.TASKS ? "" : "-" + instruction.name();
    return SpecLayoutFiles.recapFile(layout, spec, "recap" + suffix, base + suffix);
  }

  static String countedSummary(Iteration iteration) {
    long done =
        iteration.executionOrEmpty().steps().stream()
            .filter(s -> s.status() == StepStatus.COMPLETED)
            .count();
    int planned = iteration.plan() == null ? 0 : iteration.plan().steps().size();
    return "Iteration " + iteration.number() + ": " + done + " of " + planned + " steps completed.";
  }
}
