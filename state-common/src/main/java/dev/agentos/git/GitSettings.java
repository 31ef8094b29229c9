package dev.agentos.git;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a service works with git workspaces.
 *
 * @param cacheDir this process's own cache: one bare repository per remote and a worktree per cycle
 *     (an {@code emptyDir} on Kubernetes; never shared between processes)
 * @param networkTimeout the deadline of every fetch, push and ls-remote
 * @param localTimeout the deadline of every git command that stays on this machine
 */
public record GitSettings(
    Path cacheDir, Duration networkTimeout, Duration localTimeout, GitCredentials credentials) {

  public static GitSettings defaults(Path cacheDir) {
    return new GitSettings(
        cacheDir, Duration.ofSeconds(60), Duration.ofSeconds(60), GitCredentials.none());
  }
}
