package dev.agentos.cli;

/**
 * A failure the CLI reports to a person: what went wrong and what to do, and the exit code a script
 * sees. The message is printed as it is, so it must read well on its own.
 */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  public static CliException setup(String message) {
    return new CliException(ExitCode.SETUP, message);
  }

  public static CliException unknownCycle(String cycleId) {
    return new CliException(
        ExitCode.NOT_FOUND,
        "no cycle '" + cycleId + "'; see `agentos status` for the known cycles");
  }
}
