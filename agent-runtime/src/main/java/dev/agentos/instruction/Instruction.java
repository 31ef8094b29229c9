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
   * documents and task list (create-spec), or the task list alone (create-tasks).
   */
  public enum Writes {
    OWN_STEPS,
    SPEC,
    TASKS
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
        writes == Writes.SPEC
            ? SpecLayoutFiles.specDocuments(layout)
            : List.of(SpecLayoutFiles.taskList(layout));
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
