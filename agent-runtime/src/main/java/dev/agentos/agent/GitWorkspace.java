package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What git says about a workspace, when it is a git repository. */
public final class GitWorkspace {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private GitWorkspace() {}

  /**
   * The sha of {@code HEAD}, or empty when the workspace is not a repository (or has no commit).
   */
  public static Optional<String> head(Path workspace) {
    return head(ProcessLauncher.standard(), workspace);
  }

  /** As {@link #head(Path)}, with git started by {@code launcher}. */
  public static Optional<String> head(ProcessLauncher launcher, Path workspace) {
    if (!Files.exists(workspace.resolve(".git"))) {
      return Optional.empty();
    }
    Finished git;
    try {
      git = launcher.git(workspace, TIMEOUT, List.of("rev-parse", "HEAD"));
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e;
      }
      return Optional.empty();
    }
    String out = git.stdout().text().trim();
    return git.succeeded() && out.matches("[0-9a-f]{40,64}") ? Optional.of(out) : Optional.empty();
  }
}
