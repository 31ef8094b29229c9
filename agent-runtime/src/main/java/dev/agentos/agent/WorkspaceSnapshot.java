package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.StepChanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of a workspace before a step, to tell afterwards what the step changed — measured, not
 * taken from what the agent says. In a git repository: {@code HEAD} and each path {@code git
 * status} lists, with its size and modification time (a file already dirty before the step and
 * written again counts); a step that committed adds the files of its commits. Elsewhere: the size
 * and modification time of every file, up to {@link #MAX_FILES} files.
 */
public final class WorkspaceSnapshot {
  static final int MAX_FILES = 20_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ProcessLauncher launcher;
  private final Path workspace;
  private final String head; // null outside git, or before the first commit
  private final Map<String, String> entries; // path -> what marks its state
  private final boolean git;

  private WorkspaceSnapshot(
      ProcessLauncher launcher,
      Path workspace,
      boolean git,
      String head,
      Map<String, String> entries) {
    this.launcher = launcher;
    this.workspace = workspace;
    this.git = git;
    this.head = head;
    this.entries = entries;
  }

  public static WorkspaceSnapshot take(Path workspace) {
    return take(ProcessLauncher.standard(), workspace);
  }

  /**
   * Takes a snapshot with git started by {@code launcher}.
   *
   * @throws AgentOsException when git cannot say (it failed or took too long) or the files cannot
   *     be listed; CANCELLED when the phase stopped while git ran
   */
  public static WorkspaceSnapshot take(ProcessLauncher launcher, Path workspace) {
    if (Files.exists(workspace.resolve(".git"))) {
      String head = GitWorkspace.head(launcher, workspace).orElse(null);
      return new WorkspaceSnapshot(
          launcher, workspace, true, head, gitEntries(launcher, workspace));
    }
    return new WorkspaceSnapshot(launcher, workspace, false, null, fileEntries(workspace));
  }

  /** What changed in the workspace since this snapshot was taken. */
  public StepChanges changesSince() {
    WorkspaceSnapshot now = take(launcher, workspace);
    Set<String> changed = new TreeSet<>();
    for (String path : union(entries.keySet(), now.entries.keySet())) {
      if (!Objects.equals(entries.get(path), now.entries.get(path))) {
        changed.add(path);
      }
    }
    if (git && now.git && !Objects.equals(head, now.head) && now.head != null) {
      changed.addAll(committed(head, now.head));
    }
    return StepChanges.of(new ArrayList<>(changed), git ? StepChanges.GIT : StepChanges.FILES);
  }

  private List<String> committed(String from, String to) {
    List<String> args =
        from == null
            ? List.of("ls-tree", "-r", "-z", "--name-only", to)
            : List.of("diff", "--name-only", "-z", "--no-renames", from, to);
    return paths(require(launcher.git(workspace, TIMEOUT, args), args.get(0)));
  }

  private static Map<String, String> gitEntries(ProcessLauncher launcher, Path workspace) {
    // -uall lists each untracked file, not just its folder; -z keeps odd names whole.
    List<String> args = List.of("status", "--porcelain=v1", "-z", "-uall", "--no-renames");
    String out = require(launcher.git(workspace, TIMEOUT, args), "status");
    Map<String, String> entries = new LinkedHashMap<>();
    for (String record : out.split("\0")) {
      if (record.length() > 3) {
        String path = record.substring(3);
        entries.put(path, record.substring(0, 2) + " " + stat(workspace.resolve(path)));
      }
    }
    return entries;
  }

  private static Map<String, String> fileEntries(Path workspace) {
    Map<String, String> entries = new LinkedHashMap<>();
    try {
      Files.walkFileTree(
          workspace,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              entries.put(
                  workspace.relativize(file).toString(),
                  attrs.size() + "@" + attrs.lastModifiedTime().toMillis());
              return entries.size() >= MAX_FILES
                  ? FileVisitResult.TERMINATE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // a file that vanished while we looked
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "could not list the files of " + workspace + ": " + e.getMessage());
    }
    return entries;
  }

  private static String stat(Path file) {
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attrs.size() + "@" + attrs.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return "absent";
    }
  }

  private static String require(Finished git, String what) {
    if (!git.succeeded()) {
      throw new AgentOsException(
          ErrorCode.INTERNAL,
          "git "
              + what
              + (git.timedOut() ? " took longer than " + TIMEOUT : " failed")
              + ": "
              + git.stdout().lastChars(300)
              + git.stderr().lastChars(300));
    }
    // The whole stream up to the launcher's cap, not the head and tail around a gap.
    return git.stdout().truncated()
        ? new String(git.stdout().whole(), StandardCharsets.UTF_8)
        : git.stdout().text();
  }

  private static List<String> paths(String nulSeparated) {
    List<String> paths = new ArrayList<>();
    for (String path : nulSeparated.split("\0")) {
      if (!path.isBlank()) {
        paths.add(path);
      }
    }
    return paths;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }
}
