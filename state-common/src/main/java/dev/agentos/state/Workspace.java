package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Where the agents work: a directory the services can reach, or a git repository. */
public record Workspace(String path, GitRef git, Boolean isolate) {
  public Workspace(String path, GitRef git) {
    this(path, git, null);
  }

  public static Workspace atPath(String path) {
    return new Workspace(path, null, null);
  }

  /** Whether the cycle works in a git worktree of its own instead of the directory itself. */
  @JsonIgnore
  public boolean isolated() {
    return Boolean.TRUE.equals(isolate);
  }

  /** The same git workspace with the commit its branch now stands at. */
  public Workspace withGitHead(String sha) {
    return new Workspace(path, git.withHead(sha), isolate);
  }
}
