package dev.agentos.workspace;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one reader and writer of files inside a workspace. Every path is checked by its real
 * location: a symlink anywhere on the way (the file itself, a folder above it) that leads out of
 * the workspace is refused, and so is a path that does not exist yet but whose nearest existing
 * folder lies outside. A repository that links {@code .agent-os/product/mission.md} to {@code
 * /proc/self/environ} gets a note in the prompt, not the service's environment.
 */
public final class WorkspaceFiles {
  /** A workspace document larger than this is not read: prompts are far smaller anyway. */
  public static final long MAX_READ_BYTES = 8L << 20;

  private final Path root;

  private WorkspaceFiles(Path root) {
    this.root = root;
  }

  /** The files of the workspace at {@code workspace}, which must exist. */
  public static WorkspaceFiles of(Path workspace) {
    try {
      return new WorkspaceFiles(workspace.toRealPath());
    } catch (IOException e) {
      throw AgentOsException.invalid(
          "the workspace " + workspace + " cannot be resolved: " + e.getMessage());
    }
  }

  /** The workspace's real directory. */
  public Path root() {
    return root;
  }

  /**
   * The path of {@code relative} inside the workspace, existing or not; {@code field} names it in
   * errors.
   *
   * @throws AgentOsException INVALID_REQUEST for an absolute path, a {@code ..}, or a path whose
   *     real location (or its nearest existing folder's) is outside the workspace
   */
  public Path resolve(String relative, String field) {
    Path given = WorkspacePaths.parse(relative, field);
    if (given.isAbsolute()) {
      throw AgentOsException.invalid(
          field + " '" + relative + "' must be relative to the workspace " + root);
    }
    WorkspacePaths.refuseDotDot(given, relative, field);
    Path path = root.resolve(given).normalize();
    Path real = realOfNearestExisting(path);
    if (!real.startsWith(root)) {
      throw AgentOsException.invalid(
          field
              + " '"
              + relative
              + "' leads outside the workspace "
              + root
              + " (to "
              + real
              + "); use a path inside it, or replace the link with the file itself");
    }
    return path;
  }

  /**
   * The text of a workspace file, or empty when there is none.
   *
   * @throws AgentOsException INVALID_REQUEST when the path leads outside the workspace, is not a
   *     regular file, or is larger than {@link #MAX_READ_BYTES}
   */
  public Optional<String> read(String relative, String field) {
    Path path = resolve(relative, field);
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    Path real = realOfNearestExisting(path);
    try {
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw AgentOsException.invalid(
            field + " '" + relative + "' is not a regular file; Agent OS reads only plain files");
      }
      if (Files.size(real) > MAX_READ_BYTES) {
        throw AgentOsException.invalid(
            field
                + " '"
                + relative
                + "' is larger than "
                + MAX_READ_BYTES
                + " bytes; keep workspace documents small");
      }
      // Malformed bytes are replaced rather than failing: a stray byte should not stop a cycle.
      return Optional.of(new String(Files.readAllBytes(real), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "cannot read " + field + " '" + relative + "': " + e.getMessage(), e);
    }
  }

  /**
   * The text of a workspace file for a prompt: the text, {@code absent} when there is no such file,
   * or a note saying why it was not read (the prompt then tells the agent, and nobody gets the file
   * a link pointed at).
   */
  public String readForPrompt(String relative, String absent) {
    try {
      return read(relative, relative).map(String::strip).orElse(absent);
    } catch (AgentOsException e) {
      return "(" + relative + " was not read: " + e.getMessage() + ")";
    }
  }

  /** Whether {@code relative} is a directory inside the workspace (a link out counts as none). */
  public boolean isDirectory(String relative) {
    try {
      return Files.isDirectory(resolve(relative, relative));
    } catch (AgentOsException e) {
      return false;
    }
  }

  /**
   * The names of the files in the workspace folder {@code relativeDir} that end with {@code
   * suffix}, sorted; empty when there is no such folder. Each is still checked when it is read.
   */
  public List<String> list(String relativeDir, String suffix) {
    Path dir = resolve(relativeDir, relativeDir);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(suffix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "cannot list " + relativeDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code text} to the workspace file at {@code relative}, creating its folders. The file
   * is replaced atomically, so a symlink in its place is replaced too, never followed.
   */
  public void write(String relative, String field, String text) {
    Path path = resolve(relative, field);
    try {
      Files.createDirectories(path.getParent());
      // Folders created just now could have raced with a link; check where they really are.
      resolve(relative, field);
      Path temp = Files.createTempFile(path.getParent(), ".agentos-", ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        keepPermissions(path, temp);
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL,
          "cannot write " + field + " '" + relative + "': " + e.getMessage(),
          e);
    }
  }

  /**
   * Deletes the workspace file at {@code relative}; a link in its place is removed, never followed.
   *
   * @return whether there was a file to delete
   */
  public boolean delete(String relative, String field) {
    Path path = resolve(relative, field);
    try {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        throw AgentOsException.invalid(
            field + " '" + relative + "' is a folder; only files are deleted");
      }
      return Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL,
          "cannot delete " + field + " '" + relative + "': " + e.getMessage(),
          e);
    }
  }

  /** A temp file is private to its owner; the file it replaces keeps what it had (0644 if new). */
  private static void keepPermissions(Path target, Path temp) throws IOException {
    if (!Files.getFileStore(temp).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions =
        Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
            ? Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS)
            : PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(temp, permissions);
  }

  /** The real path of {@code path}, or of its nearest existing folder plus the missing rest. */
  static Path realOfNearestExisting(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(path)).normalize();
    } catch (IOException e) {
      // A dangling link: where it points cannot be checked, so it counts as outside.
      return Path.of("/(unresolvable link " + existing + ")");
    }
  }
}
