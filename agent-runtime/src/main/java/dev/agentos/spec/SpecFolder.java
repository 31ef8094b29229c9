package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An Agent OS spec folder ({@code .agent-os/specs/<YYYY-MM-DD-name>/}) read once: its summary, its
 * tasks and its sub-specs. The caller has already confined the spec path to the workspace; files
 * inside the folder are still checked, so a symlinked sub-spec cannot pull in a file from outside.
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
            .or(() -> readIfPresent(root, folder.resolve("spec.md")));
    Optional<String> tasks = readIfPresent(root, folder.resolve("tasks.md"));
    return new SpecFolder(folder, summary, tasks, readSubSpecs(root, folder.resolve(SUB_SPECS)));
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

  private static Map<String, String> readSubSpecs(Path root, Path dir) {
    Map<String, String> subSpecs = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return subSpecs;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".md")).toList();
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
    for (Path file : files) {
      readIfPresent(root, file)
          .ifPresent(text -> subSpecs.put(file.getFileName().toString(), text));
    }
    return subSpecs;
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
