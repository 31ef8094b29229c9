package dev.agentos.workspace;

import dev.agentos.error.AgentOsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Confines workspaces and the paths inside them. A workspace must lie under the configured root (if
 * one is configured); a spec or a file named by a cycle must lie inside its workspace. {@code ..}
 * is refused outright and symlinks are resolved before the check (for a path that does not exist
 * yet, those of its nearest existing folder), so neither escapes. Files inside a workspace are read
 * and written through {@link WorkspaceFiles}.
 */
public final class WorkspacePaths {
  private final Optional<Path> root;

  public WorkspacePaths(Optional<Path> root) {
    this.root = root.map(WorkspacePaths::real);
  }

  public static WorkspacePaths unconfined() {
    return new WorkspacePaths(Optional.empty());
  }

  /** The real directory of a workspace path given by a user. */
  public Path workspace(String path) {
    if (path == null || path.isBlank()) {
      throw AgentOsException.invalid(
          "workspace.path is required: the directory the agents work in");
    }
    Path given = parse(path, "workspace.path");
    refuseDotDot(given, path, "workspace.path");
    Path absolute = given.isAbsolute() ? given : root.map(r -> r.resolve(given)).orElse(null);
    if (absolute == null) {
      throw AgentOsException.invalid(
          "workspace.path '"
              + path
              + "' is relative and no workspace root is configured; give an"
              + " absolute path");
    }
    if (!Files.isDirectory(absolute)) {
      throw AgentOsException.invalid(
          "workspace.path '" + path + "' is not a directory the services can see");
    }
    Path real = real(absolute);
    root.ifPresent(
        r -> {
          if (!real.startsWith(r)) {
            throw AgentOsException.invalid(
                "workspace path '"
                    + path
                    + "' leaves the workspace root "
                    + r
                    + "; use a path inside it");
          }
        });
    return real;
  }

  /** A path inside a workspace, e.g. a spec folder; {@code field} names it in errors. */
  public static Path inside(Path workspace, String relative, String field) {
    Path given = parse(relative, field);
    if (given.isAbsolute()) {
      throw AgentOsException.invalid(
          field + " '" + relative + "' must be relative to the workspace " + workspace);
    }
    refuseDotDot(given, relative, field);
    Path resolved = workspace.resolve(given).normalize();
    // A path that does not exist yet is judged by its nearest existing folder: a link there
    // would carry everything created under it out of the workspace.
    Path check = WorkspaceFiles.realOfNearestExisting(resolved);
    if (!check.startsWith(real(workspace))) {
      throw AgentOsException.invalid(
          field
              + " '"
              + relative
              + "' leaves the workspace "
              + workspace
              + "; use a path inside it");
    }
    return resolved;
  }

  static Path parse(String path, String field) {
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw AgentOsException.invalid(
          field + " '" + path + "' is not a valid path: " + e.getReason());
    }
  }

  static void refuseDotDot(Path path, String given, String field) {
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw AgentOsException.invalid(
            field + " '" + given + "' contains '..'; give the path without parent references");
      }
    }
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw AgentOsException.invalid("path " + path + " cannot be resolved: " + e.getMessage());
    }
  }
}
