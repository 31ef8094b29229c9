package dev.agentos.agent.tools;

import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Path;

/**
 * The workspace as the tools see it: every path goes through {@link WorkspaceFiles}, which refuses
 * absolute paths, {@code ..} and links that lead out; {@code .git} is Agent OS's and git's, so the
 * tools neither list, search nor write it.
 */
final class Workspace {
  private final WorkspaceFiles files;

  Workspace(Path root) {
    this.files = WorkspaceFiles.of(root);
  }

  WorkspaceFiles files() {
    return files;
  }

  Path root() {
    return files.root();
  }

  /** The path inside the workspace, existing or not (refused as a tool error when outside). */
  Path resolve(String relative) {
    Path path = files.resolve(relative.isBlank() ? "." : relative, "path");
    if (isGit(root().relativize(path))) {
      throw new ToolError(
          "'"
              + relative
              + "' is inside .git, which the tools leave alone; use git_diff to see"
              + " changes");
    }
    return path;
  }

  /** The workspace-relative form of {@code path}, with forward slashes. */
  String relative(Path path) {
    String relative = root().relativize(path).toString().replace('\\', '/');
    return relative.isEmpty() ? "." : relative;
  }

  static boolean isGit(Path relative) {
    return relative.getNameCount() > 0 && relative.getName(0).toString().equals(".git");
  }
}
