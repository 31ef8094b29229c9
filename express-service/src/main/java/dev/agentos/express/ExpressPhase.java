package dev.agentos.express;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentCalls;
import dev.agentos.agent.RoleAgent;
import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.prompt.PromptSection;
import dev.agentos.prompt.PromptTemplate;
import dev.agentos.prompt.StepRecordText;
import dev.agentos.spec.Checkbox;
import dev.agentos.spec.RoadmapItem;
import dev.agentos.spec.SpecFolder;
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

/**
 * EXPRESS: turns what the iteration did into something a person reads. It writes the recap to
 * {@code .agent-os/recaps/<spec-name>.md} in the workspace and puts a short summary and the recap's
 * place into the state. With an express agent configured, the agent writes the summary from the
 * step record; without one, the summary is the step count.
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
    String relative = ".agent-os/recaps/" + recapName(recap.name(), instruction) + ".md";
    // Through the confined writer: a recap path that a link carries out of the workspace is
    // refused.
    WorkspaceFiles.of(context.workspace()).write(relative, "recap", recap.markdown());
    // Also in the artifact store, whatever its size: readers without the workspace (the web
    // console, a person on another machine) open it from there; the state keeps only its ref.
    ArtifactRef stored =
        context.storeArtifact("recap-" + iteration.number() + ".md", recap.markdown());
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
    String prompt = template.render(sections, role.maxPromptChars());
    String answer =
        AgentCalls.call(context, agent.get(), role.request(context, prompt, Map.of()))
            .text()
            .strip();
    if (answer.isEmpty()) {
      return counted;
    }
    String written =
        answer.length() <= SUMMARY_CHARS ? answer : answer.substring(0, SUMMARY_CHARS) + "…";
    return counted + " " + written;
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

  /** The spec's criteria as the recap lists them: box, text, and where they come from. */
  private static List<String> criteria(PhaseContext context) {
    String spec = context.state().spec();
    if (spec == null || !WorkspaceFiles.of(context.workspace()).isDirectory(spec)) {
      return List.of();
    }
    return SpecFolder.read(context.workspace(), spec).criteria().stream()
        .map(
            c ->
                (c.checkbox() == Checkbox.TICKED ? "[x] " : "[ ] ")
                    + c.text()
                    + " ("
                    + c.section().strip()
                    + (c.task().isEmpty() ? "" : ", task " + c.task())
                    + ")")
        .toList();
  }

  /**
   * {@code <spec>.md} for execute-tasks, as Agent OS names recaps; {@code <spec>-<instruction>}
   * else.
   */
  static String recapName(String base, Instruction instruction) {
    return instruction.plan() == Instruction.PlanMode.TASKS
        ? base
        : base + "-" + instruction.name();
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
