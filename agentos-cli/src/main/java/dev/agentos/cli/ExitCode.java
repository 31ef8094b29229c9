package dev.agentos.cli;

import dev.agentos.state.Status;

/**
 * The exit codes of {@code agentos}, listed in {@code --help}. Scripts rely on them: {@code watch}
 * and {@code demo} exit with the outcome of the cycle, every failure with what kind of failure it
 * was.
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int CYCLE_FAILED = 1;
  public static final int CYCLE_CANCELLED = 2;
  public static final int CYCLE_WAITING = 3;
  public static final int NOT_FOUND = 4;
  public static final int API_ERROR = 5;
  public static final int UNREACHABLE = 6;
  public static final int SETUP = 7;
  public static final int TIMEOUT = 8;
  public static final int USAGE = 64;
  public static final int INTERNAL = 70;

  private ExitCode() {}

  /**
   * The exit code of a cycle in {@code status}, or -1 while it is still running: a running cycle
   * has no outcome yet.
   */
  public static int ofCycle(Status status) {
    return switch (status) {
      case COMPLETED -> OK;
      case FAILED -> CYCLE_FAILED;
      case CANCELLED -> CYCLE_CANCELLED;
      default -> status.waitsForPerson() ? CYCLE_WAITING : -1;
    };
  }
}
