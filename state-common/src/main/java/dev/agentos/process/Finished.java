package dev.agentos.process;

import java.time.Duration;

/**
 * A child process that has ended, with everything it left behind killed.
 *
 * @param exitCode its exit status; -1 when it was killed at its timeout
 * @param stdout its standard output (with standard error when they were merged), bounded
 * @param stderr its standard error, bounded; empty when merged
 * @param elapsed from start to end
 * @param timedOut whether it ran out of time and was killed
 */
public record Finished(
    int exitCode, ProcessOutput stdout, ProcessOutput stderr, Duration elapsed, boolean timedOut) {

  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }
}
