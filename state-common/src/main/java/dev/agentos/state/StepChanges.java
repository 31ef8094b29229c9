package dev.agentos.state;

import java.util.List;

/**
 * What one step changed in the workspace, measured by Agent OS around the step's agent rather than
 * taken from what the agent says it did.
 *
 * @param count how many files changed (added, modified, deleted or committed)
 * @param files the first {@link #MAX_FILES} of them, paths relative to the workspace
 * @param measuredBy how they were found: {@code git} (HEAD and {@code git status} before and after
 *     the step) or {@code files} (sizes and modification times of the workspace's files)
 */
public record StepChanges(int count, List<String> files, String measuredBy) {
  public static final int MAX_FILES = 50;
  public static final String GIT = "git";
  public static final String FILES = "files";

  public StepChanges {
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** The changes of a step, keeping the first {@link #MAX_FILES} paths of {@code changed}. */
  public static StepChanges of(List<String> changed, String measuredBy) {
    List<String> kept = changed.size() <= MAX_FILES ? changed : changed.subList(0, MAX_FILES);
    return new StepChanges(changed.size(), kept, measuredBy);
  }

  public boolean none() {
    return count == 0;
  }

  /** "3 files changed: a, b, c", or "no files changed". */
  public String describe() {
    if (count == 0) {
      return "no files changed";
    }
    String list = String.join(", ", files);
    return count
        + (count == 1 ? " file changed: " : " files changed: ")
        + list
        + (count > files.size() ? ", …" : "");
  }
}
