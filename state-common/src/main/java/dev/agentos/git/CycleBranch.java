package dev.agentos.git;

/** The names a cycle's commits carry, so that Agent OS can tell its own commits on a branch. */
public final class CycleBranch {
  /** The trailer every commit Agent OS makes for a cycle carries: {@code Agentos-Cycle: <id>}. */
  public static final String TRAILER = "Agentos-Cycle";

  private CycleBranch() {}

  /** {@code agentos/<cycle_id>}. */
  public static String name(String cycleId) {
    return "agentos/" + cycleId;
  }

  /** The commit message with the cycle's trailer (and a blank line before it). */
  static String message(String subject, String cycleId) {
    String text = subject == null || subject.isBlank() ? "Agent OS" : subject.strip();
    return text + "\n\n" + TRAILER + ": " + cycleId + "\n";
  }
}
