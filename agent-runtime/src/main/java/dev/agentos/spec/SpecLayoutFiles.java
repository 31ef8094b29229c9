package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where each layout keeps a spec's files, in one place: which layout a new spec gets, the folder it
 * is written to, the documents create-spec writes and the task list create-tasks writes there (with
 * what each holds, in the layout's own format), and where a recap goes. Paths in a {@link Target}
 * are relative to the spec folder; titles and details may hold {@code {{spec}}} and {@code
 * {{goal}}}, filled in at plan time.
 */
public final class SpecLayoutFiles {

  /**
   * One file a step writes.
   *
   * @param file the file's path inside the spec folder
   * @param title the step's title
   * @param detail what the step writes there, naming the file as {@code {{spec}}/<file>}
   */
  public record Target(String file, String title, String detail) {}

  /** Where Agent OS keeps recaps that belong to no spec folder, and v1 keeps all of them. */
  public static final String V1_RECAPS = ".agent-os/recaps";

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm").withZone(ZoneOffset.UTC);
  private static final Pattern FEATURE = Pattern.compile("(\\d{3,9})-.*");

  private static final Target V1_TASKS =
      new Target(
          "tasks.md",
          "Write the tasks",
          "Write {{spec}}/tasks.md as a checkbox list of 1-5 numbered parent tasks (- [ ] 1. Title),"
              + " each with sub-tasks (  - [ ] 1.1 ...), the first sub-task writing tests and the"
              + " last verifying them.");

  private static final Target V2_TASKS =
      new Target(
          "tasks.md",
          "Write the tasks",
          "Write {{spec}}/tasks.md as Agent OS v2 task groups: a '## Task List' heading, then per"
              + " group '### Task Group N: Name', a '**Dependencies:** None' or 'Task Group M'"
              + " line, a parent '- [ ] N.0 Complete ...' with sub-tasks '  - [ ] N.1 ...' (the"
              + " first writing tests, the last running them) and '**Acceptance Criteria:**'"
              + " bullets; 1-5 groups.");

  private static final Target V3_PLAN =
      new Target(
          "plan.md",
          "Write the plan",
          "Write {{spec}}/plan.md as Agent OS v3 plans are written: a one-paragraph summary, then"
              + " 1-5 '## Task N: Title' sections (no checkboxes) with bullets saying what to"
              + " change and how to verify it, tests first.");

  private static final Target SPEC_KIT_TASKS =
      new Target(
          "tasks.md",
          "Write the tasks",
          "Write {{spec}}/tasks.md as GitHub Spec Kit tasks: '## Phase 1: Setup', '## Phase 2:"
              + " Foundational', one '## Phase N: User Story K - Title (Priority: PK)' per story"
              + " and a last '## Phase N: Polish', each holding '- [ ] T001 [P] [US1] Description"
              + " with the file path' lines (T-numbers in order, [P] only where the task touches"
              + " files no other open task does) and a '**Checkpoint**:' line saying what then"
              + " works.");

  private SpecLayoutFiles() {}

  /**
   * The layout a new spec gets in {@code workspace} (may be null): Agent OS v1 where the workspace
   * keeps v1 specs, product or standards; else Spec Kit where it has {@code .specify/}; else Agent
   * OS v3 or v2 where it has {@code agent-os/}; else v1. A {@code .agent-os/} holding only what
   * Agent OS itself writes (recaps, checks.yml, instructions) does not make a workspace v1.
   */
  public static SpecLayout forNewSpec(Path workspace) {
    if (workspace == null || SpecLayout.hasV1Content(workspace)) {
      return SpecLayout.AGENT_OS_V1;
    }
    if (Files.isDirectory(workspace.resolve(".specify"))) {
      return SpecLayout.SPEC_KIT;
    }
    if (Files.isDirectory(workspace.resolve("agent-os"))) {
      return Files.isRegularFile(workspace.resolve(SpecLayout.V3_INDEX))
          ? SpecLayout.AGENT_OS_V3
          : SpecLayout.AGENT_OS_V2;
    }
    return SpecLayout.AGENT_OS_V1;
  }

  /**
   * The folder a new spec for {@code goal} gets, relative to the workspace: {@code
   * .agent-os/specs/<date>-slug} (v1), {@code agent-os/specs/<date>-slug} (v2), {@code
   * agent-os/specs/<date>-<HHMM>-slug} (v3), {@code specs/<next NNN>-slug} (Spec Kit).
   */
  public static String newSpecFolder(Path workspace, String goal, Instant now) {
    String slug = slug(goal);
    return switch (forNewSpec(workspace)) {
      case AGENT_OS_V1 -> ".agent-os/specs/" + DAY.format(now) + "-" + slug;
      case AGENT_OS_V2 -> "agent-os/specs/" + DAY.format(now) + "-" + slug;
      case AGENT_OS_V3 -> "agent-os/specs/" + MINUTE.format(now) + "-" + slug;
      case SPEC_KIT ->
          "specs/" + String.format(Locale.ROOT, "%03d", nextFeatureNumber(workspace)) + "-" + slug;
    };
  }

  /** The documents create-spec writes, one step each, the task list last. */
  public static List<Target> specDocuments(SpecLayout layout) {
    return switch (layout) {
      case AGENT_OS_V1 ->
          List.of(
              new Target(
                  "spec.md",
                  "Write the spec",
                  "Write {{spec}}/spec.md (overview, user stories, spec scope, out of scope,"
                      + " expected deliverable) and {{spec}}/spec-lite.md (a one-paragraph"
                      + " summary) for the goal."),
              new Target(
                  "sub-specs/technical-spec.md",
                  "Write the technical spec",
                  "Write {{spec}}/sub-specs/technical-spec.md (technical requirements, approach,"
                      + " external dependencies) for the spec."),
              V1_TASKS);
      case AGENT_OS_V2 ->
          List.of(
              new Target(
                  "planning/requirements.md",
                  "Write the requirements",
                  "Write {{spec}}/planning/requirements.md: the goal as asked, the functional"
                      + " requirements, what is out of scope, and the existing code to reuse (with"
                      + " paths), as Agent OS v2's spec shaping records them."),
              new Target(
                  "spec.md",
                  "Write the spec",
                  "Write {{spec}}/spec.md from {{spec}}/planning/requirements.md with the sections"
                      + " '## Goal', '## User Stories', '## Specific Requirements', '## Existing"
                      + " Code to Leverage' and '## Out of Scope'."),
              V2_TASKS);
      case AGENT_OS_V3 ->
          List.of(
              new Target(
                  "shape.md",
                  "Write the shape",
                  "Write {{spec}}/shape.md: the scope of the goal, the decisions made while"
                      + " shaping it, and what is out of scope."),
              new Target(
                  "standards.md",
                  "Write the standards",
                  "Write {{spec}}/standards.md: one '## area/name' section per standard in"
                      + " agent-os/standards/ that applies to this work, with one line on why."),
              new Target(
                  "references.md",
                  "Write the references",
                  "Write {{spec}}/references.md: the existing code to study or reuse for this"
                      + " work, one bullet per file or folder with what to take from it."),
              V3_PLAN);
      case SPEC_KIT ->
          List.of(
              new Target(
                  "spec.md",
                  "Write the spec",
                  "Write {{spec}}/spec.md as a GitHub Spec Kit feature specification: '## User"
                      + " Scenarios & Testing' with prioritised user stories (P1, P2, ...) and"
                      + " their acceptance scenarios, '## Requirements' with FR-001... lines, and"
                      + " '## Success Criteria' with measurable SC-001... outcomes; what, not how."),
              new Target(
                  "plan.md",
                  "Write the plan",
                  "Write {{spec}}/plan.md as a Spec Kit implementation plan: summary, technical"
                      + " context (language, dependencies, storage, testing), a constitution check"
                      + " against .specify/memory/constitution.md, and the project structure the"
                      + " feature touches."),
              SPEC_KIT_TASKS);
    };
  }

  /**
   * What refine-spec changes: the spec's documents (the first target names the layout's main
   * document, which must still exist after), then its task list brought in line with them.
   */
  public static List<Target> refinement(SpecLayout layout) {
    List<Target> documents = specDocuments(layout);
    List<String> names = new ArrayList<>();
    for (Target document : documents.subList(0, documents.size() - 1)) {
      names.add("{{spec}}/" + document.file());
    }
    if (layout == SpecLayout.AGENT_OS_V1) {
      names.add(1, "{{spec}}/spec-lite.md");
      names.set(names.size() - 1, "{{spec}}/sub-specs/"); // every sub-spec, not only technical-spec
    }
    Target taskList = taskList(layout);
    String main = layout == SpecLayout.AGENT_OS_V3 ? "shape.md" : "spec.md";
    return List.of(
        new Target(
            main,
            "Refine the spec",
            "Apply these comments to "
                + String.join(", ", names)
                + ", keeping what they do not touch: {{goal}}"),
        new Target(
            taskList.file(),
            "Bring the tasks in line",
            "Update {{spec}}/"
                + taskList.file()
                + " so that its tasks match the refined spec, in the format it has; keep ticked"
                + " tasks ticked unless the spec changed what they did."));
  }

  /**
   * The folder plan-product and analyze-product write the product documents to, relative to the
   * workspace (may be null): {@code agent-os/product} where the workspace has an Agent OS v2 or v3
   * {@code agent-os/} folder and no v1 content, else {@code .agent-os/product}. Writing v1's folder
   * into a v2 workspace would make its next new spec a v1 one (see {@link #forNewSpec}).
   */
  public static String productFolder(Path workspace) {
    boolean agentOsV2OrV3 =
        workspace != null
            && !SpecLayout.hasV1Content(workspace)
            && Files.isDirectory(workspace.resolve(SpecLayout.AGENT_OS_V2.root()));
    return (agentOsV2OrV3 ? SpecLayout.AGENT_OS_V2.root() : SpecLayout.AGENT_OS_V1.root())
        + "/product";
  }

  /** The task list create-tasks writes: tasks.md, or v3's plan.md. */
  public static Target taskList(SpecLayout layout) {
    return switch (layout) {
      case AGENT_OS_V1 -> V1_TASKS;
      case AGENT_OS_V2 -> V2_TASKS;
      case AGENT_OS_V3 -> V3_PLAN;
      case SPEC_KIT -> SPEC_KIT_TASKS;
    };
  }

  /**
   * Where the recap named {@code name} goes, relative to the workspace: v1 keeps recaps in {@code
   * .agent-os/recaps/<spec>-name.md}; v2 in the spec's {@code implementation/} folder, beside its
   * implementation reports; v3 and Spec Kit in the spec folder itself. A cycle without a spec
   * folder writes to {@code .agent-os/recaps/}.
   *
   * @param specPath the spec folder relative to the workspace, or null
   * @param name the recap's name without {@code .md}: {@code recap} or {@code recap-<instruction>}
   *     in a spec folder; in {@code .agent-os/recaps/} it follows the spec's or the goal's name
   * @param v1Name the recap's file name (without {@code .md}) under {@code .agent-os/recaps/}
   */
  public static String recapFile(SpecLayout layout, String specPath, String name, String v1Name) {
    if (specPath == null || layout == SpecLayout.AGENT_OS_V1) {
      return V1_RECAPS + "/" + v1Name + ".md";
    }
    String folder = Path.of(specPath).normalize().toString().replace('\\', '/');
    return switch (layout) {
      case AGENT_OS_V2 -> folder + "/implementation/" + name + ".md";
      default -> folder + "/" + name + ".md";
    };
  }

  /** One more than the highest {@code specs/NNN-*} number, as Spec Kit numbers features. */
  private static int nextFeatureNumber(Path workspace) {
    Path specs = workspace.resolve("specs");
    if (!Files.isDirectory(specs)) {
      return 1;
    }
    try (Stream<Path> folders = Files.list(specs)) {
      return 1
          + folders
              .map(p -> FEATURE.matcher(p.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElse(0);
    } catch (IOException e) {
      throw AgentOsException.invalid("cannot list " + specs + ": " + e.getMessage());
    }
  }

  /** Up to six words of the goal, lower case, joined by '-': {@code let-customers-keep-items}. */
  static String slug(String goal) {
    String slug =
        goal.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    String[] words = slug.split("-");
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < words.length && i < 6 && name.length() < 40; i++) {
      name.append(name.isEmpty() ? "" : "-").append(words[i]);
    }
    return name.isEmpty() ? "spec" : name.toString();
  }
}
