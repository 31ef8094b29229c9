package dev.agentos.agent.cli;

import dev.agentos.error.AgentOsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an operator sets for a CLI agent preset in its profile ({@code agentos.profiles.<name>.*}):
 * never a submit field. Each preset passes on the options its tool has and ignores the others.
 *
 * @param permissionMode Claude Code's {@code --permission-mode} (e.g. {@code acceptEdits})
 * @param allowedTools Claude Code's {@code --allowedTools} (e.g. {@code Read}, {@code Bash(git
 *     diff:*)})
 * @param maxTurns Claude Code's {@code --max-turns}
 * @param sandbox Codex's {@code --sandbox}: read-only, workspace-write or danger-full-access
 * @param scratchDir where each agent process gets a HOME of its own (never the service's); null:
 *     the system's temporary directory
 * @param mcp Agent OS's own MCP server for the agent (profile field {@code mcp: true}), or {@link
 *     AgentMcp#OFF}
 */
public record CliOptions(
    String permissionMode,
    List<String> allowedTools,
    Integer maxTurns,
    String sandbox,
    Path scratchDir,
    AgentMcp mcp) {

  public static final CliOptions NONE = new CliOptions(null, List.of(), null, null, null);

  public CliOptions(
      String permissionMode,
      List<String> allowedTools,
      Integer maxTurns,
      String sandbox,
      Path scratchDir) {
    this(permissionMode, allowedTools, maxTurns, sandbox, scratchDir, AgentMcp.OFF);
  }

  /** Codex's documented sandbox modes. */
  static final Set<String> SANDBOXES = Set.of("read-only", "workspace-write", "danger-full-access");

  private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z-]{0,40}");

  public CliOptions {
    allowedTools =
        allowedTools == null
            ? List.of()
            : allowedTools.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    permissionMode = blankToNull(permissionMode);
    sandbox = blankToNull(sandbox);
    mcp = mcp == null ? AgentMcp.OFF : mcp;
  }

  public CliOptions withScratchDir(Path dir) {
    return new CliOptions(permissionMode, allowedTools, maxTurns, sandbox, dir, mcp);
  }

  /** The directory agent HOMEs are made in. */
  public Path scratchRoot() {
    return scratchRoot(scratchDir);
  }

  /**
   * Where agent processes get their scratch directories (HOMEs, channels): {@code configured}
   * ({@code agentos.process.scratch-dir}), else {@code agentos-agent-homes} in the temp directory.
   */
  public static Path scratchRoot(Path configured) {
    return configured != null
        ? configured
        : Path.of(System.getProperty("java.io.tmpdir"), "agentos-agent-homes");
  }

  /**
   * @param prefix the configuration prefix for messages, e.g. {@code agentos.profiles.claude.}
   * @throws AgentOsException INVALID_REQUEST naming the key to fix
   */
  public void validate(String prefix) {
    if (permissionMode != null && !WORD.matcher(permissionMode).matches()) {
      throw AgentOsException.invalid(
          prefix
              + "permission-mode='"
              + permissionMode
              + "' is not a permission mode; use e.g. acceptEdits, plan or bypassPermissions");
    }
    if (maxTurns != null && maxTurns <= 0) {
      throw AgentOsException.invalid(prefix + "max-turns=" + maxTurns + " must be > 0");
    }
    if (sandbox != null && !SANDBOXES.contains(sandbox)) {
      throw AgentOsException.invalid(
          prefix
              + "sandbox='"
              + sandbox
              + "' is not a Codex sandbox; use read-only, workspace-write or danger-full-access");
    }
    for (String tool : allowedTools) {
      if (tool.indexOf('\n') >= 0 || tool.length() > 200) {
        throw AgentOsException.invalid(
            prefix + "allowed-tools has an entry that is not one tool name: '" + tool + "'");
      }
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
