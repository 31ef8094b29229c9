package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A spec folder read once: its summary, its documents, its tasks and its sub-specs. It may be an
 * Agent OS v1 folder ({@code .agent-os/specs/<date-name>/} with spec-lite.md, spec.md, sub-specs/,
 * tasks.md), a v2 one ({@code agent-os/specs/<date-name>/} with spec.md, planning/requirements.md,
 * tasks.md), a v3 one (shape.md, references.md, standards.md and plan.md whose {@code ## Task N}
 * sections are the tasks) or a Spec Kit one ({@code specs/NNN-feature/} with spec.md, plan.md,
 * data-model.md, research.md, quickstart.md, contracts/, tasks.md). Every file is read through
 * {@link WorkspaceFiles}, so neither the folder nor a symlinked document can pull in a file from
 * outside the workspace.
 */
public final class SpecFolder {

  private static final String SUB_SPECS = "sub-specs";
  private static final String CONTRACTS = "contracts";
  private static final String CHECKLISTS = "checklists";

  /**
   * The documents an agent is given, most important first: the prompt cap cuts from the end. A v1
   * folder's spec-lite.md stands in for its spec.md; v3's plan.md is its task list, so only a
   * folder with a tasks.md (Spec Kit) gives plan.md as a document.
   */
  private static final List<String> DOCUMENTS =
      List.of(
          "spec-lite.md",
          "spec.md",
          "planning/requirements.md",
          "shape.md",
          "plan.md",
          "data-model.md",
          "references.md",
          // v3 writes the rules that apply into it, not only their names
          "standards.md",
          "research.md",
          "quickstart.md");

  private final Path folder;
  private final Optional<String> summary;
  private final Optional<String> tasksText;
  private final Optional<TasksFile> tasks;
  private final Optional<TasksFile> planSections;
  private final Map<String, String> subSpecs;
  private final Map<String, String> documents;
  private final Map<String, String> checklists;

  private SpecFolder(
      Path folder,
      Optional<String> summary,
      Optional<String> tasksText,
      Optional<String> planText,
      Map<String, String> subSpecs,
      Map<String, String> documents,
      Map<String, String> checklists) {
    this.folder = folder;
    this.summary = summary;
    this.tasksText = tasksText;
    this.tasks = tasksText.map(TasksFile::parse);
    this.planSections =
        tasksText.isPresent()
            ? Optional.empty()
            : planText.map(TasksFile::parsePlan).filter(plan -> !plan.tasks().isEmpty());
    this.subSpecs = Collections.unmodifiableMap(subSpecs);
    this.documents = Collections.unmodifiableMap(documents);
    this.checklists = Collections.unmodifiableMap(checklists);
  }

  /** Reads the spec at {@code specPath}, relative to {@code workspace}. */
  public static SpecFolder read(Path workspace, String specPath) {
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    Path folder = files.resolve(specPath, "spec");
    if (!Files.isDirectory(folder)) {
      throw new AgentOsException(
          ErrorCode.NOT_FOUND,
          "spec folder '"
              + specPath
              + "' does not exist in workspace "
              + files.root()
              + "; give a spec folder (.agent-os/specs/<name>, agent-os/specs/<name> or"
              + " specs/NNN-feature) that holds its tasks.md or plan.md");
    }
    String base = files.root().relativize(folder).toString();
    // spec-lite.md is the short form written for exactly this use: a prompt's context.
    Optional<String> summary =
        read(files, child(base, "spec-lite.md"))
            .or(() -> read(files, child(base, "spec.md")))
            .or(() -> read(files, child(base, "shape.md")));
    Optional<String> tasks = read(files, child(base, "tasks.md"));
    Optional<String> plan = read(files, child(base, "plan.md"));
    return new SpecFolder(
        folder,
        summary,
        tasks,
        plan,
        readAll(files, child(base, SUB_SPECS), ".md", ""),
        readDocuments(files, base, tasks.isPresent()),
        readAll(files, child(base, CHECKLISTS), ".md", CHECKLISTS + "/"));
  }

  /**
   * The folder's documents for a prompt, most important first, file name (relative to the folder)
   * to content. A document that cannot be read is there with a sentence saying why, not left out.
   */
  private static Map<String, String> readDocuments(
      WorkspaceFiles files, String base, boolean hasTasks) {
    Map<String, String> documents = new LinkedHashMap<>();
    for (String name : DOCUMENTS) {
      if (name.equals("spec.md") && documents.containsKey("spec-lite.md")
          || name.equals("plan.md") && !hasTasks) {
        continue;
      }
      readForPrompt(files, child(base, name)).ifPresent(text -> documents.put(name, text));
    }
    String contracts = child(base, CONTRACTS);
    for (String name : files.list(contracts, "")) {
      readForPrompt(files, child(contracts, name))
          .ifPresent(text -> documents.put(CONTRACTS + "/" + name, text));
    }
    return documents;
  }

  private static Optional<String> readForPrompt(WorkspaceFiles files, String relative) {
    try {
      return read(files, relative);
    } catch (AgentOsException e) {
      return Optional.of("(not read: " + e.getMessage() + ")");
    }
  }

  /** The folder's own name, e.g. {@code 2026-11-20-cart}. */
  public String name() {
    return folder.getFileName().toString();
  }

  public Path folder() {
    return folder;
  }

  /** spec-lite.md if the folder has one, else spec.md; empty if it has neither. */
  public Optional<String> summary() {
    return summary;
  }

  /** tasks.md exactly as on disk, for edits that must preserve it. */
  public Optional<String> tasksText() {
    return tasksText;
  }

  /** tasks.md, whose boxes are ticked as work is done. */
  public Optional<TasksFile> tasks() {
    return tasks;
  }

  /**
   * An Agent OS v3 plan.md's {@code ## Task N} sections, when the folder has no tasks.md: tasks
   * without boxes, whose progress is kept in the cycle state.
   */
  public Optional<TasksFile> planSections() {
    return planSections;
  }

  /**
   * Everything the spec asks to be verified rather than done: the criteria sections of its task
   * file and every item of Spec Kit's {@code checklists/*.md}, in that order.
   */
  public List<Criterion> criteria() {
    List<Criterion> all =
        new ArrayList<>(
            tasks.or(() -> planSections).map(TasksFile::ignoredCriteria).orElse(List.of()));
    checklists.forEach((name, text) -> all.addAll(TasksFile.checklist(text, name)));
    return List.copyOf(all);
  }

  /**
   * The documents an agent should know, most important first (spec-lite.md or spec.md, v2's
   * planning/requirements.md, v3's shape.md, Spec Kit's plan.md, data-model.md, research.md,
   * quickstart.md, contracts/), name to content.
   */
  public Map<String, String> documents() {
    return documents;
  }

  /** The Markdown files in {@code sub-specs/}, file name to content, sorted by name. */
  public Map<String, String> subSpecs() {
    return subSpecs;
  }

  /**
   * The sub-specs a task names, with or without {@code .md} ("see technical-spec.md", "per the
   * api-spec"), ignoring case. A name only counts as a whole word: {@code api-spec} is not named by
   * {@code api-specs}.
   */
  public Map<String, String> subSpecsNamedIn(String taskText) {
    Map<String, String> named = new LinkedHashMap<>();
    if (taskText == null) {
      return named;
    }
    subSpecs.forEach(
        (file, content) -> {
          if (mentions(taskText, file)) {
            named.put(file, content);
          }
        });
    return Collections.unmodifiableMap(named);
  }

  private static boolean mentions(String text, String file) {
    String stem = file.endsWith(".md") ? file.substring(0, file.length() - 3) : file;
    Pattern name =
        Pattern.compile(
            "(?<![\\w-])" + Pattern.quote(stem) + "(?:\\.md)?(?![\\w-])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    return name.matcher(text).find();
  }

  /** The files ending in {@code suffix} in {@code dir}, keyed by {@code prefix} + file name. */
  private static Map<String, String> readAll(
      WorkspaceFiles files, String dir, String suffix, String prefix) {
    Map<String, String> texts = new TreeMap<>();
    for (String name : files.list(dir, suffix)) {
      read(files, child(dir, name)).ifPresent(text -> texts.put(prefix + name, text));
    }
    return texts;
  }

  private static Optional<String> read(WorkspaceFiles files, String relative) {
    return files.read(relative, "spec file");
  }

  private static String child(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
