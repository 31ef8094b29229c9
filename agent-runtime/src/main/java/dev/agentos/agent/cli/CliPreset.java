package dev.agentos.agent.cli;

import dev.agentos.agent.AgentSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How one coding-agent CLI is run in its documented non-interactive mode and how its
 * machine-readable output is read. The prompt always goes to standard input or a file, never the
 * command line: a prompt may be larger than one argument may be.
 */
public interface CliPreset {
  /** The program's usual name, run from the PATH unless the profile's command says where. */
  String program();

  /**
   * The arguments after the program.
   *
   * @param model the profile's model, or null for the tool's default
   * @param session the tool session to start or resume
   * @param promptFile a file holding the prompt, for a tool that reads it from a file
   */
  List<String> arguments(CliOptions options, String model, CliSession session, Path promptFile);

  /** Whether the prompt goes to standard input (else only {@code promptFile} holds it). */
  default boolean promptOnStdin() {
    return true;
  }

  /** Reads what the tool printed on standard output. */
  CliReport parse(String stdout);

  /** What one line of output says the agent is doing, for live output; most lines say nothing. */
  default List<CliEvent> liveEvents(String line) {
    return List.of();
  }

  /** A session id this tool takes before it starts ({@code --session-id}); empty when none. */
  default Optional<String> fixedSessionId() {
    return Optional.empty();
  }

  /** Whether a run can continue an earlier session by its id. */
  default boolean resumable() {
    return false;
  }

  /** The tool's session file under {@code home} for a run in {@code workspace}, if it keeps one. */
  default Optional<Path> sessionFile(Path home, Path workspace, String sessionId) {
    return Optional.empty();
  }

  /** The session id a session file of this tool belongs to, read from its name. */
  default Optional<String> sessionIdOf(Path file) {
    return Optional.empty();
  }

  /** Where a saved session file goes in a new {@code home} for a run in {@code workspace}. */
  default Optional<Path> sessionFileTarget(
      Path home, Path workspace, String sessionId, String savedName) {
    return Optional.empty();
  }

  /** The preset of a CLI backend. */
  static CliPreset of(AgentSettings.Backend backend) {
    return switch (backend) {
      case CLAUDE_CODE -> new ClaudeCodePreset();
      case CODEX -> new CodexPreset();
      case GEMINI_CLI -> new GeminiCliPreset();
      case AIDER -> new AiderPreset();
      default -> throw new IllegalArgumentException(backend + " is not a CLI agent preset");
    };
  }
}
