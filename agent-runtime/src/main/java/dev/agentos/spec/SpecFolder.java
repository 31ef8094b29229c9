package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A spec folder read once: its summary, its documents, its tasks and its sub-specs. It may be an
 * Agent OS v1 folder ({@code .agent-os/specs/<date-name>/} with spec-lite.md, spec.md, sub-specs/,
 * tasks.md), a v2 one ({@code agent-os/specs/<date-name>/} with spec.md, planning/requirements.md,
 * tasks.md), a v3 one (shape.md, references.md, standards.md and plan.md whose {@code ## Task N}
 * sections are the tasks) or a Spec Kit one ({@code specs/NNN-feature/} with spec.md, plan.md,
 * data-model.md, research.md, quickstart.md, contracts/, tasks.md). The caller has already confined
 * the spec path to the workspace; files inside the folder are still checked, so a symlinked
 * sub-spec cannot pull in a file from outside.
 */
public final class SpecFolder {

  static final String RECAPS = ".agent-os/recaps";
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
    Path root = real(workspace);
    Path folder = root.resolve(specPath).normalize();
    if (!Files.isDirectory(folder)) {
      throw new AgentOsException(
          ErrorCode.NOT_FOUND,
          "spec folder '"
              + specPath
              + "' does not exist in workspace "
              + root
              + "; give the folder under .agent-os/specs/ that holds spec.md and tasks.md");
    }
    // spec-lite.md is the short form written for exactly this use: a prompt's context.
    Optional<String> summary =
        readIfPresent(root, folder.resolve("spec-lite.md"))
            .or(() -> readIfPresent(root, folder.resolve("spec.md")))
            .or(() -> readIfPresent(root, folder.resolve("shape.md")));
    Optional<String> tasks = readIfPresent(root, folder.resolve("tasks.md"));
    Optional<String> plan = readIfPresent(root, folder.resolve("plan.md"));
    return new SpecFolder(
        folder,
        summary,
        tasks,
        plan,
        readSubSpecs(root, folder.resolve(SUB_SPECS)),
        readDocuments(root, folder, tasks.isPresent()),
        readChecklists(root, folder.resolve(CHECKLISTS)));
  }

  private static Map<String, String> readChecklists(Path root, Path dir) {
    Map<String, String> checklists = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      for (Path file : listFiles(dir, p -> p.getFileName().toString().endsWith(".md"))) {
        readIfPresent(root, file)
            .ifPresent(text -> checklists.put(CHECKLISTS + "/" + file.getFileName(), text));
      }
    }
    return checklists;
  }

  /**
   * The folder's documents for a prompt, most important first, file name (relative to the folder)
   * to content. A document that cannot be read is there with a sentence saying why, not left out.
   */
  private static Map<String, String> readDocuments(Path root, Path folder, boolean hasTasks) {
    Map<String, String> documents = new LinkedHashMap<>();
    for (String name : DOCUMENTS) {
      if (name.equals("spec.md") && documents.containsKey("spec-lite.md")
          || name.equals("plan.md") && !hasTasks) {
        continue;
      }
      readForPrompt(root, folder.resolve(name)).ifPresent(text -> documents.put(name, text));
    }
    Path contracts = folder.resolve(CONTRACTS);
    if (Files.isDirectory(contracts)) {
      for (Path file : listFiles(contracts, p -> true)) {
        readForPrompt(root, file)
            .ifPresent(text -> documents.put(CONTRACTS + "/" + file.getFileName(), text));
      }
    }
    return documents;
  }

  private static Optional<String> readForPrompt(Path root, Path file) {
    try {
      return readIfPresent(root, file);
    } catch (AgentOsException e) {
      return Optional.of("(not read: " + e.getMessage() + ")");
    }
  }

  /** Where Express writes the recap of a spec: {@code .agent-os/recaps/<spec-name>.md}. */
  public static Path recapPath(Path workspace, String specName) {
    if (specName == null
        || specName.isBlank()
        || specName.contains("/")
        || specName.contains("\\")
        || specName.startsWith(".")) {
      throw AgentOsException.invalid(
          "spec name '"
              + specName
              + "' is not a folder name; give the spec folder's own name, e.g. 2026-11-20-cart");
    }
    return workspace.resolve(RECAPS).resolve(specName + ".md");
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

  private static Map<String, String> readSubSpecs(Path root, Path dir) {
    Map<String, String> subSpecs = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return subSpecs;
    }
    for (Path file : listFiles(dir, p -> p.getFileName().toString().endsWith(".md"))) {
      readIfPresent(root, file)
          .ifPresent(text -> subSpecs.put(file.getFileName().toString(), text));
    }
    return subSpecs;
  }

  private static List<Path> listFiles(Path dir, Predicate<Path> wanted) {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(wanted).sorted().toList();
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
  }

  private static Optional<String> readIfPresent(Path root, Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Path real = real(file);
    if (!real.startsWith(root)) {
      throw AgentOsException.invalid(
          "spec file "
              + root.relativize(file)
              + " leads outside the workspace "
              + root
              + " (to "
              + real
              + "); replace the link with the file itself");
    }
    try {
      // Decoding replaces malformed bytes instead of failing: a stray byte should not stop a cycle.
      return Optional.of(new String(Files.readAllBytes(real), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw unreadable(path, e);
    }
  }

  private static AgentOsException unreadable(Path path, IOException e) {
    return new AgentOsException(
        ErrorCode.INTERNAL, "cannot read " + path + ": " + e.getMessage(), e);
  }
}
