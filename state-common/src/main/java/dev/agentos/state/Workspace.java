package dev.agentos.state;

/** Where the agents work: a directory the services can reach, or a git repository. */
public record Workspace(String path, GitRef git) {
  public static Workspace atPath(String path) {
    return new Workspace(path, null);
  }
}
