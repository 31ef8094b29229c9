package dev.agentos.state;

/**
 * A git repository as a cycle's workspace. {@code url}, {@code ref} (a branch or a commit to start
 * from), {@code path} (a folder inside the repository the agents work in) and {@code deliver} (what
 * becomes of the branch at COMPLETED; {@link Delivery#REVIEW} when left out) come from the submit;
 * {@code branch} ({@code agentos/<cycle_id>}) and {@code head} (the last commit Agent OS pushed to
 * it, and recorded) are the cycle's own. A phase starts from {@code head}; a step's push is leased
 * on it.
 */
public record GitRef(
    String url, String ref, String path, String branch, String head, Delivery deliver) {
  public GitRef(String url, String ref) {
    this(url, ref, null, null, null, null);
  }

  public GitRef(String url, String ref, String path, String branch, String head) {
    this(url, ref, path, branch, head, null);
  }

  /** The same repository with the commit the cycle's branch now stands at. */
  public GitRef withHead(String sha) {
    return new GitRef(url, ref, path, branch, sha, deliver);
  }

  public GitRef withBranch(String name) {
    return new GitRef(url, ref, path, name, head, deliver);
  }

  /** What becomes of the branch at COMPLETED. */
  public Delivery deliverOrDefault() {
    return deliver == null ? Delivery.REVIEW : deliver;
  }
}
