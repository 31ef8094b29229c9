package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An Agent OS spec folder ({@code .agent-os/specs/<YYYY-MM-DD-name>/}) read once: its summary, its
 * tasks and its sub-specs. Every file is read through {@link WorkspaceFiles}, so neither the folder
 * nor a symlinked sub-spec can pull in a file from outside the workspace.
 */
public final class SpecFolder {

  static final String RECAPS = ".agent-os/recaps";
  private static final String SUB_SPECS = "sub-specs";

  private final Path folder;
  private final Optional<String> summary;
  private final Optional<String> tasksText;
  private final Optional<TasksFile> tasks;
  private final Map<String, String> subSpecs;

  private SpecFolder(
      Path folder,
      Optional<String> summary,
      Optional<String> tasksText,
      Map<String, String> subSpecs) {
    this.folder = folder;
    this.summary = summary;
    this.tasksText = tasksText;
    this.tasks = tasksText.map(TasksFile::parse);
    this.subSpecs = Collections.unmodifiableMap(subSpecs);
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
              + "; give the folder under .agent-os/specs/ that holds spec.md and tasks.md");
    }
    String base = files.root().relativize(folder).toString();
    // spec-lite.md is the short form written for exactly this use: a prompt's context.
    Optional<String> summary =
        read(files, base + "/spec-lite.md").or(() -> read(files, base + "/spec.md"));
    Optional<String> tasks = read(files, base + "/tasks.md");
    return new SpecFolder(folder, summary, tasks, readSubSpecs(files, base + "/" + SUB_SPECS));
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

  public Optional<TasksFile> tasks() {
    return tasks;
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

  private static Map<String, String> readSubSpecs(WorkspaceFiles files, String dir) {
    Map<String, String> subSpecs = new TreeMap<>();
    for (String name : files.list(dir, ".md")) {
      read(files, dir + "/" + name).ifPresent(text -> subSpecs.put(name, text));
    }
    return subSpecs;
  }

  private static Optional<String> read(WorkspaceFiles files, String relative) {
    return files.read(relative, "spec file");
  }
}
