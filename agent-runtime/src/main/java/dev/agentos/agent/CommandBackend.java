package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.Launch;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.process.ProcessOutput;
import dev.agentos.state.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a CLI agent ({@code claude -p}, {@code codex exec}, {@code aider --message}, a script) in
 * the workspace. The prompt goes to its standard input, or as its last argument; its standard
 * output is the answer (kept as a bounded head and tail). A non-zero exit is a failed call carrying
 * the tail of standard error. The {@link ProcessLauncher} gives it a clean environment and kills
 * its whole process group at the timeout, on a cancel and after it exits.
 */
public final class CommandBackend implements AgentBackend {
  /** How the prompt reaches the command. */
  public enum PromptMode {
    STDIN,
    ARGUMENT
  }

  static final int STDERR_TAIL_CHARS = 2000;

  private final List<String> command;
  private final PromptMode promptMode;
  private final Map<String, String> baseEnvironment;
  private final ProcessLauncher launcher;

  public CommandBackend(
      List<String> command, PromptMode promptMode, Map<String, String> baseEnvironment) {
    this(command, promptMode, baseEnvironment, ProcessLauncher.standard());
  }

  /**
   * @param launcher starts the command; give it the names of the environment variables the agent
   *     may have ({@link ProcessLauncher#allowedEnv}), nothing else of the service's reaches it
   */
  public CommandBackend(
      List<String> command,
      PromptMode promptMode,
      Map<String, String> baseEnvironment,
      ProcessLauncher launcher) {
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new AgentOsException(
          ErrorCode.INVALID_REQUEST,
          "the command agent has no command; set agentos.agents.<role>.command");
    }
    this.command = List.copyOf(command);
    this.promptMode = promptMode;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.launcher = launcher;
  }

  /**
   * Runs the command once. Interrupting the calling thread kills the command's whole process group
   * at once and throws CANCELLED: the phase worker relies on this when its lease is lost.
   */
  @Override
  public AgentResult call(AgentRequest request) {
    List<String> argv = new ArrayList<>(command);
    byte[] stdin = new byte[0];
    if (promptMode == PromptMode.ARGUMENT) {
      argv.add(request.prompt());
    } else {
      stdin = request.prompt().getBytes(StandardCharsets.UTF_8);
    }
    Map<String, String> environment = new HashMap<>(baseEnvironment);
    if (request.environment() != null) {
      environment.putAll(request.environment());
    }
    Finished run =
        launcher.run(
            new Launch(argv, request.workspace(), stdin, request.timeout(), environment, false));
    if (run.timedOut()) {
      throw new AgentOsException(
          ErrorCode.AGENT_TIMEOUT,
          "the agent command '"
              + command.get(0)
              + "' ran longer than "
              + request.timeout()
              + " and was stopped");
    }
    if (run.exitCode() != 0) {
      throw new AgentOsException(
          ErrorCode.AGENT_FAILED,
          "the agent command '"
              + command.get(0)
              + "' exited with "
              + run.exitCode()
              + ": "
              + run.stderr().lastChars(STDERR_TAIL_CHARS));
    }
    double seconds = run.elapsed().toNanos() / 1e9;
    // The whole answer up to the store cap (it becomes the step's transcript in the object
    // store); past the cap, its head and tail around a note of what was left out.
    ProcessOutput out = run.stdout();
    String text =
        out.wholeIsComplete() ? new String(out.whole(), StandardCharsets.UTF_8) : out.text();
    return new AgentResult(text, run.exitCode(), new Usage(0, 0, 0, seconds), command.get(0));
  }

  @Override
  public String describe() {
    return "command " + command.get(0) + " (prompt on " + promptMode.name().toLowerCase() + ")";
  }
}
