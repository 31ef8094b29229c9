package dev.agentos.instruction;

import dev.agentos.spec.SpecLayout;
import dev.agentos.spec.SpecLayoutFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A reusable instruction: what a cycle of this kind plans, how its agents are told to work, and
 * what Review checks. Instructions are data — Markdown documents with YAML front matter — shipped
 * in resources, shared team-wide in the {@code agentos-instructions} bucket, or kept in a
 * workspace's {@code .agent-os/instructions/}; each later source overrides the earlier by name.
 *
 * @param needs what a submit must give: a goal, a spec folder, or either
 * @param createsSpec whether the cycle writes a new dated spec folder (named from the goal)
 * @param plan how PLAN works: from the spec's tasks.md, from the fixed steps, or by the agent
 * @param steps the fixed steps, with {@code {{spec}}} and {@code {{goal}}} filled in at plan time
 *     ({@code {{product}}} as soon as the workspace is known)
 * @param action who carries out the steps: the executor's agent, or Agent OS's own git commit
 * @param checks what Review checks beyond every step completing
 * @param writes whether the steps and the files checked follow the spec's layout (see {@link
 *     #inLayout}) rather than being the document's own
 * @param planIntro the opening of the planner agent's prompt, if the instruction has its own
 * @param executeIntro the opening of the executor agent's prompt
 * @param reviewGuidance what Review's agent is asked to judge besides the five criteria
 * @param source where the document came from: built-in, team or workspace
 */
public record Instruction(
    String name,
    String description,
    Needs needs,
    boolean createsSpec,
    PlanMode plan,
    List<StepTemplate> steps,
    Action action,
    Checks checks,
    Writes writes,
    Optional<String> planIntro,
    Optional<String> executeIntro,
    Optional<String> reviewGuidance,
    String source) {

  /** Stands for the workspace's product folder in an instruction's text. */
  public static final String PRODUCT = "{{product}}";

  public Instruction {
    steps = List.copyOf(steps); // instructions are shared between cycles: never changed after
  }

  public enum Needs {
    GOAL,
    SPEC,
    EITHER
  }

  public enum PlanMode {
    TASKS,
    STEPS,
    AGENT
  }

  /**
   * What an instruction writes in the spec folder when its files depend on the layout: the spec's
   * documents and task list (create-spec), the task list alone (create-tasks), or changes to an
   * existing spec's documents and task list (refine-spec).
   */
  public enum Writes {
    OWN_STEPS,
    SPEC,
    TASKS,
    REFINEMENT
  }

  public enum Action {
    AGENT,
    GIT_COMMIT
  }

  /** A fixed step; title and detail may hold {@code {{spec}}} and {@code {{goal}}}. */
  public record StepTemplate(String title, String detail) {}

  /**
   * @param files paths relative to the workspace that must exist ({@code {{spec}}} filled in)
   * @param tasks a tasks.md that must parse with at least one task, if set
   */
  public record Checks(List<String> files, String tasks) {
    public static final Checks NONE = new Checks(List.of(), null);
  }

  /**
   * This instruction as it runs on a spec folder of {@code layout}: for one that {@link Writes
   * writes} the spec or its task list, one step per file the layout keeps (from {@link
   * SpecLayoutFiles}), and a check that each file exists and that the task list parses; any other
   * instruction unchanged.
   */
  public Instruction inLayout(SpecLayout layout) {
    if (writes == Writes.OWN_STEPS) {
      return this;
    }
    List<SpecLayoutFiles.Target> targets =
        switch (writes) {
          case SPEC -> SpecLayoutFiles.specDocuments(layout);
          case REFINEMENT -> SpecLayoutFiles.refinement(layout);
          default -> List.of(SpecLayoutFiles.taskList(layout));
        };
    List<StepTemplate> layoutSteps = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (SpecLayoutFiles.Target target : targets) {
      layoutSteps.add(new StepTemplate(target.title(), target.detail()));
      files.add("{{spec}}/" + target.file());
    }
    if (layout == SpecLayout.AGENT_OS_V1 && writes == Writes.SPEC) {
      files.add(1, "{{spec}}/spec-lite.md"); // v1's first step writes both spec.md and spec-lite.md
    }
    String taskList = "{{spec}}/" + SpecLayoutFiles.taskList(layout).file();
    return new Instruction(
        name,
        description,
        needs,
        createsSpec,
        plan,
        layoutSteps,
        action,
        new Checks(List.copyOf(files), taskList),
        writes,
        planIntro,
        executeIntro,
        reviewGuidance,
        source);
  }

  /**
   * This instruction with {@code {{product}}} in its steps, checks and prompts replaced by the
   * workspace's product folder (see {@link SpecLayoutFiles#productFolder}): plan-product and
   * analyze-product write where the workspace's layout keeps its product documents.
   */
  public Instruction withProductFolder(String folder) {
    List<StepTemplate> filled = new ArrayList<>();
    for (StepTemplate step : steps) {
      filled.add(new StepTemplate(product(step.title(), folder), product(step.detail(), folder)));
    }
    return new Instruction(
        name,
        product(description, folder),
        needs,
        createsSpec,
        plan,
        filled,
        action,
        new Checks(
            checks.files().stream().map(file -> product(file, folder)).toList(),
            product(checks.tasks(), folder)),
        writes,
        planIntro.map(text -> product(text, folder)),
        executeIntro.map(text -> product(text, folder)),
        reviewGuidance.map(text -> product(text, folder)),
        source);
  }

  private static String product(String template, String folder) {
    return template == null ? null : template.replace(PRODUCT, folder);
  }

  /** Fills {@code {{spec}}} and {@code {{goal}}} in a template text. */
  public static String fill(String template, String spec, String goal) {
    if (template == null) {
      return null;
    }
    return template
        .replace("{{spec}}", spec == null ? "(no spec)" : spec)
        .replace("{{goal}}", goal == null ? "(no goal)" : goal);
  }
}
