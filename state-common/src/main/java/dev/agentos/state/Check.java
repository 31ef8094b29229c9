package dev.agentos.state;

/**
 * One verification Review ran, and what it saw.
 *
 * @param source where a named check's command came from ({@code agentos.checks.tests} for the
 *     operator's configuration, {@code .agent-os/checks.yml} for the workspace's own); null for
 *     Review's built-in checks
 * @param exitCode the command's exit status, or null when it did not exit by itself (not started,
 *     timed out) or the check runs no command
 */
public record Check(String name, boolean passed, String detail, String source, Integer exitCode) {

  /** A built-in check, which runs no command. */
  public Check(String name, boolean passed, String detail) {
    this(name, passed, detail, null, null);
  }
}
