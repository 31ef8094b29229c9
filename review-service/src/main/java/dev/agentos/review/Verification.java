package dev.agentos.review;

import dev.agentos.checks.NamedCheck;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.Launch;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.Check;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs one named check's command ({@code mvn -q test}, {@code npm test}) in the workspace through
 * the launcher — a clean environment, bounded output, its whole process group killed at the timeout
 * or when it exits (a dev server it left running included) — and records which check it was, where
 * its command came from and how it exited.
 */
final class Verification {
  private static final int OUTPUT_TAIL = 1500;

  private Verification() {}

  static Check run(NamedCheck check, Path workspace, Duration timeout) {
    return run(ProcessLauncher.standard(), check, workspace, timeout);
  }

  static Check run(ProcessLauncher launcher, NamedCheck check, Path workspace, Duration timeout) {
    String name = check.name();
    String source = check.source();
    Finished finished;
    try {
      finished =
          launcher.run(
              Launch.of(List.of("bash", "-c", check.run()), workspace, timeout).mergingStderr());
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e; // the phase was cancelled: no check result to record
      }
      return new Check(name, false, "could not run: " + e.getMessage(), source, null);
    }
    String tail = finished.stdout().lastChars(OUTPUT_TAIL);
    if (finished.timedOut()) {
      return new Check(
          name,
          false,
          "timed out after " + timeout + (tail.isEmpty() ? "" : ": " + tail),
          source,
          null);
    }
    int status = finished.exitCode();
    return new Check(
        name, status == 0, "exit " + status + (tail.isEmpty() ? "" : ": " + tail), source, status);
  }
}
