package dev.agentos.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Agent OS's own MCP server for a CLI agent whose profile says {@code mcp: true}: {@code agentos
 * mcp --agent}, which offers the agent {@code record_decision} and {@code ask_person} and writes
 * what they say to the directory in {@code AGENTOS_CHANNEL} (the executor gives each agent process
 * one). The server has no NATS connection: the agent gets no credentials through it.
 *
 * <p>Claude Code takes it as {@code --mcp-config <file>}
 * (https://docs.claude.com/en/docs/claude-code/cli-reference), a file in the {@code mcpServers}
 * format of https://docs.claude.com/en/docs/claude-code/mcp, whose {@code ${VAR:-default}}
 * expansion hands the server the agent's own {@code AGENTOS_CHANNEL}; its tools are pre-approved as
 * {@code mcp__agentos__<tool>} in {@code --allowedTools}, since a headless run cannot ask. Codex
 * takes it as {@code -c mcp_servers.agentos.*} overrides of its config
 * (https://developers.openai.com/codex/mcp: {@code command}, {@code args}, and {@code env_vars},
 * the variables it forwards to the server).
 *
 * @param launcher how to start {@code agentos} (e.g. {@code [/opt/agentos/bin/agentos]}); empty
 *     when the profile has no MCP
 */
public record AgentMcp(List<String> launcher) {
  public static final AgentMcp OFF = new AgentMcp(List.of());
  public static final String SERVER = "agentos";
  public static final List<String> TOOLS = List.of("record_decision", "ask_person");
  public static final String CHANNEL_VARIABLE = "AGENTOS_CHANNEL";
  static final String CONFIG_FILE = "agentos-mcp.json";

  public AgentMcp {
    launcher = launcher == null ? List.of() : List.copyOf(launcher);
  }

  /**
   * The launcher {@code agentos.process.mcp-command} names (split on spaces), else {@code
   * bin/agentos} in {@code workingDir} when it is there (the checkout {@code agentos up} runs the
   * services in), else {@code agentos} from the PATH. Made absolute: the agent runs elsewhere.
   */
  public static AgentMcp of(Optional<String> configured, Path workingDir) {
    if (configured.isPresent() && !configured.get().isBlank()) {
      List<String> words = new ArrayList<>(Arrays.asList(configured.get().strip().split("\\s+")));
      Path first = Path.of(words.get(0));
      if (words.get(0).contains("/") && !first.isAbsolute()) {
        words.set(0, workingDir.resolve(first).toAbsolutePath().normalize().toString());
      }
      return new AgentMcp(words);
    }
    Path local = workingDir.resolve("bin").resolve("agentos").toAbsolutePath().normalize();
    return new AgentMcp(List.of(Files.isExecutable(local) ? local.toString() : "agentos"));
  }

  public boolean on() {
    return !launcher.isEmpty();
  }

  /** The server's command line: the launcher, then {@code mcp --agent}. */
  public List<String> command() {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("mcp", "--agent"));
    return command;
  }

  /**
   * Claude Code's {@code --mcp-config <file>}, the file written next to {@code promptFile} (in the
   * agent's own HOME); none when off.
   */
  List<String> claudeArguments(Path promptFile) {
    if (!on()) {
      return List.of();
    }
    List<String> command = command();
    ObjectNode server = Json.mapper().createObjectNode();
    server.put("type", "stdio");
    server.put("command", command.get(0));
    command.subList(1, command.size()).forEach(server.putArray("args")::add);
    server.putObject("env").put(CHANNEL_VARIABLE, "${" + CHANNEL_VARIABLE + ":-}");
    ObjectNode config = Json.mapper().createObjectNode();
    config.putObject("mcpServers").set(SERVER, server);
    Path file = promptFile.resolveSibling(CONFIG_FILE);
    try {
      Files.write(file, Json.write(config));
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE, "cannot write the MCP config " + file + ": " + e.getMessage(), e);
    }
    return List.of("--mcp-config", file.toString());
  }

  /** {@code configured} plus this server's tools as Claude Code names them, when on. */
  List<String> claudeAllowedTools(List<String> configured) {
    if (!on()) {
      return configured;
    }
    List<String> tools = new ArrayList<>(configured);
    TOOLS.forEach(tool -> tools.add("mcp__" + SERVER + "__" + tool));
    return tools;
  }

  /** Codex's {@code -c mcp_servers.agentos.*} overrides (TOML values); none when off. */
  List<String> codexArguments() {
    if (!on()) {
      return List.of();
    }
    List<String> command = command();
    String key = "mcp_servers." + SERVER + ".";
    return List.of(
        "-c",
        key + "command=" + Json.writeString(command.get(0)),
        "-c",
        key + "args=" + Json.writeString(command.subList(1, command.size())),
        "-c",
        key + "env_vars=" + Json.writeString(List.of(CHANNEL_VARIABLE)));
  }
}
