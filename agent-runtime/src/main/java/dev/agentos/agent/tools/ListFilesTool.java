package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code list_files}: the files and folders under a workspace folder, links shown, not followed.
 */
final class ListFilesTool implements Tool {
  static final int MAX_ENTRIES = 500;
  static final int MAX_DEPTH = 8;

  private final Workspace workspace;

  ListFilesTool(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("list_files")
        .description(
            "List the files and folders under a folder of the workspace (folders end with /)."
                + " At most "
                + MAX_ENTRIES
                + " entries.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("path", "folder relative to the workspace; default: its root")
                .addIntegerProperty("depth", "how many folder levels to go down, 1-8; default 3")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String given = Args.text(arguments, "path", ".");
    int depth = Args.number(arguments, "depth", 3, 1, MAX_DEPTH);
    Path dir = workspace.resolve(given);
    if (!Files.isDirectory(dir)) {
      throw new ToolError(
          "'"
              + given
              + "' is not a folder of the workspace"
              + (Files.exists(dir) ? "" : " (no such path)"));
    }
    List<String> entries = new ArrayList<>();
    boolean[] more = {false};
    try {
      Files.walkFileTree(
          dir,
          java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
          depth,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (d.equals(dir)) {
                return FileVisitResult.CONTINUE;
              }
              if (Workspace.isGit(workspace.root().relativize(d))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return add(workspace.relative(d) + "/");
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              if (Workspace.isGit(workspace.root().relativize(f))) {
                return FileVisitResult.CONTINUE;
              }
              String name = workspace.relative(f);
              if (attrs.isDirectory()) {
                name += "/"; // a folder at the depth limit
              } else if (attrs.isSymbolicLink()) {
                name += " (link)";
              }
              return add(name);
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              return FileVisitResult.CONTINUE;
            }

            private FileVisitResult add(String entry) {
              if (entries.size() >= MAX_ENTRIES) {
                more[0] = true;
                return FileVisitResult.TERMINATE;
              }
              entries.add(entry);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw new ToolError("cannot list '" + given + "': " + e.getMessage());
    }
    entries.sort(String::compareTo);
    if (entries.isEmpty()) {
      return "(the folder is empty)";
    }
    String list = String.join("\n", entries);
    return more[0]
        ? list + "\n[… more entries left out: list a sub-folder, or a smaller depth]"
        : list;
  }
}
