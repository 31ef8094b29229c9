package dev.agentos.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What git says about a workspace, when it is a git repository. */
public final class GitWorkspace {
  private GitWorkspace() {}

  /**
   * The sha of {@code HEAD}, or empty when the workspace is not a repository (or has no commit).
   */
  public static Optional<String> head(Path workspace) {
    if (!Files.exists(workspace.resolve(".git"))) {
      return Optional.empty();
    }
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "HEAD")
              .directory(workspace.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
        return Optional.empty();
      }
      return out.matches("[0-9a-f]{40,64}") ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
