package dev.agentos.prompt;

import dev.agentos.error.AgentOsException;
import dev.agentos.knowledge.Standard;
import dev.agentos.workspace.WorkspaceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The standards an agent works to, gathered from every layout the workspace has: Spec Kit's
 * constitution first (the team's highest-priority rules), then the files under {@code
 * .agent-os/standards/} and {@code agent-os/standards/} at any depth, most specific first (a file
 * in {@code backend/} before one in {@code global/}), then the team's standards the workspace does
 * not override. In Agent OS v3 a spec's {@code standards.md}, else {@code standards/index.yml},
 * selects which files apply. What is left out, and any file that could not be read, is said in a
 * note at the top: the prompt cap cuts from the end, and nothing is dropped without a word.
 */
final class WorkspaceStandards {

  static final String CONSTITUTION = ".specify/memory/constitution.md";
  private static final List<String> ROOTS = List.of(".agent-os/standards", "agent-os/standards");
  private static final String INDEX = "agent-os/standards/index.yml";
  private static final Pattern INDEX_AREA = Pattern.compile("^([^\\s#:][^:]*):\\s*$");
  private static final Pattern INDEX_NAME = Pattern.compile("^ {2}([^\\s#:][^:]*):\\s*$");

  private WorkspaceStandards() {}

  static String of(Path workspacePath, List<Standard> team, String specPath) {
    WorkspaceFiles confined = WorkspaceFiles.of(workspacePath);
    Path workspace = confined.root();
    List<String> notes = new ArrayList<>();
    Map<String, String> byName = new LinkedHashMap<>();
    Path constitution = workspace.resolve(CONSTITUTION);
    if (Files.exists(constitution, LinkOption.NOFOLLOW_LINKS)) {
      byName.put(
          "constitution (Spec Kit: the highest-priority rules)",
          read(confined, constitution, notes));
    }
    Map<String, Path> files = new LinkedHashMap<>();
    for (String root : ROOTS) {
      Path dir = workspace.resolve(root);
      if (Files.isDirectory(dir) && !confined.isDirectory(root)) {
        notes.add(root + " leads outside the workspace and was not read");
      } else if (Files.isDirectory(dir)) {
        walk(dir, notes).forEach(file -> files.putIfAbsent(stem(dir.relativize(file)), file));
      }
    }
    select(confined, workspace, specPath, files, notes);
    files.keySet().stream()
        .sorted(MOST_SPECIFIC_FIRST)
        .forEach(name -> byName.put(name, read(confined, files.get(name), notes)));
    for (Standard standard : team) {
      byName.putIfAbsent(stripMd(standard.name()), standard.content());
    }
    if (byName.isEmpty() && notes.isEmpty()) {
      return "(no standards)";
    }
    StringBuilder out = new StringBuilder();
    if (!notes.isEmpty()) {
      out.append("(notes on the standards: ").append(String.join("; ", notes)).append(")\n\n");
    }
    byName.forEach(
        (name, text) ->
            out.append("### ").append(name).append("\n\n").append(text.strip()).append("\n\n"));
    return out.toString().strip();
  }

  /** Deeper first, {@code global/} last among equals, then by name. */
  private static final Comparator<String> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt((String name) -> -name.split("/").length)
          .thenComparing(name -> name.startsWith("global/") ? 1 : 0)
          .thenComparing(Comparator.naturalOrder());

  /**
   * Agent OS v3: keeps only the standards the spec's standards.md names, else those index.yml
   * lists; removes the rest from {@code files} and says which.
   */
  private static void select(
      WorkspaceFiles confined,
      Path workspace,
      String specPath,
      Map<String, Path> files,
      List<String> notes) {
    if (files.isEmpty()) {
      return;
    }
    Path specStandards =
        specPath == null ? null : workspace.resolve(specPath).resolve("standards.md");
    Set<String> chosen = new LinkedHashSet<>();
    String by;
    if (specStandards != null && Files.isRegularFile(specStandards)) {
      String text = read(confined, specStandards, notes);
      files.keySet().stream().filter(name -> names(text, name)).forEach(chosen::add);
      by = specPath + "/standards.md";
    } else if (Files.isRegularFile(workspace.resolve(INDEX))) {
      Set<String> listed = indexed(read(confined, workspace.resolve(INDEX), notes));
      files.keySet().stream().filter(listed::contains).forEach(chosen::add);
      by = INDEX;
    } else {
      return;
    }
    if (chosen.isEmpty()) {
      notes.add(by + " selects none of the standards, so all of them are given");
      return;
    }
    List<String> left = files.keySet().stream().filter(n -> !chosen.contains(n)).toList();
    if (!left.isEmpty()) {
      notes.add("left out as " + by + " does not select them: " + String.join(", ", left));
      left.forEach(files::remove);
    }
  }

  private static boolean names(String text, String name) {
    return Pattern.compile("(?<![\\w/-])" + Pattern.quote(name) + "(?:\\.md)?(?![\\w-])")
        .matcher(text)
        .find();
  }

  /** "area/name" for each standard index.yml lists under an area. */
  private static Set<String> indexed(String yaml) {
    Set<String> names = new LinkedHashSet<>();
    String area = null;
    for (String line : yaml.split("\\R")) {
      Matcher top = INDEX_AREA.matcher(line);
      Matcher name = INDEX_NAME.matcher(line);
      if (top.matches()) {
        area = top.group(1).strip();
      } else if (name.matches() && area != null) {
        String stem = stripMd(name.group(1).strip());
        names.add(area.equals("root") ? stem : area + "/" + stem);
      }
    }
    return names;
  }

  /** The Markdown files below {@code dir}; a symbolic link is a note, never followed. */
  private static List<Path> walk(Path dir, List<String> notes) {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted().toList()) {
        if (Files.isSymbolicLink(path)) {
          notes.add(
              path.getFileName()
                  + " in "
                  + dir.getFileName()
                  + "/ is a symbolic link and was not read; put the file itself there");
        } else if (Files.isRegularFile(path) && path.toString().endsWith(".md")) {
          found.add(path);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      notes.add(dir + " could not be listed: " + e.getMessage());
    }
    return found;
  }

  /** The file's text, or a sentence in {@code notes} saying why it could not be read. */
  private static String read(WorkspaceFiles confined, Path file, List<String> notes) {
    try {
      if (Files.isSymbolicLink(file)) {
        notes.add(file.getFileName() + " is a symbolic link and was not read");
        return "(not read: a symbolic link)";
      }
      // Through the confined reader: a folder above the file that links out of the workspace is
      // refused too. Malformed bytes are replaced, not fatal.
      String relative = confined.root().relativize(file).toString();
      return confined.read(relative, "standard").orElse("");
    } catch (AgentOsException e) {
      notes.add(file.getFileName() + " was not read: " + e.getMessage());
      return "(not read: " + e.getMessage() + ")";
    } catch (UncheckedIOException e) {
      notes.add(file.getFileName() + " could not be read: " + e.getMessage());
      return "(not read: " + e.getMessage() + ")";
    }
  }

  private static String stem(Path relative) {
    return stripMd(relative.toString().replace('\\', '/'));
  }

  static String stripMd(String name) {
    return name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
  }
}
