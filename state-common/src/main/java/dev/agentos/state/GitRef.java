package dev.agentos.state;

/**
 * A git repository as a cycle's workspace. {@code url}, {@code ref} (a branch or a commit to start
 * from) and {@code path} (a folder inside the repository the agents work in) come from the submit;
 * {@code branch} ({@code agentos/<cycle_id>}) and {@code head} (the last commit Agent OS pushed to
 * it, and recorded) are the cycle's own. A phase starts from {@code head}; a step's push is leased
 * on it.
 */
public record GitRef(String url, String ref, String path, String branch, String head) {
  public GitRef(String url, String ref) {
    this(url, ref, null, null, null);
  }

  /** The same repository with the commit the cycle's branch now stands at. */
  public GitRef withHead(String sha) {
    return new GitRef(url, ref, path, branch, sha);
  }

  public GitRef withBranch(String name) {
    return new GitRef(url, ref, path, name, head);
  }
}
