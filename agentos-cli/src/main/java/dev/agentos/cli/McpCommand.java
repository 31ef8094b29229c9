package dev.agentos.cli;

import dev.agentos.cli.mcp.McpServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "mcp",
    description = {
      "Serve Agent OS to an MCP client (Claude Code, Cursor, …) on stdin/stdout.",
      "",
      "Tools: submit, status, list, watch (progress per event), approve, reject, answer,",
      "cancel, history, stats; each cycle's state is the resource agentos://cycles/{cycle_id}.",
      "NATS as for every command (--nats, NATS_URL, …). Standard output carries the protocol",
      "only; logs go to standard error. E.g. `claude mcp add agentos -- bin/agentos mcp`.",
      "",
      "With --agent: the server an executor hands its agent (profile field mcp: true), with",
      "no NATS connection at all: record_decision and ask_person write to $AGENTOS_CHANNEL.",
    })
final class McpCommand extends CliCommand {
  @Option(
      names = "--agent",
      description = "the agent's tools (record_decision, ask_person) instead of the API's")
  boolean agent;

  @Override
  int run() throws Exception {
    String version = new AgentOsCommand.Version().getVersion()[0].replace("agentos ", "");
    if (agent) {
      McpServers.agent(version, () -> env().get(McpServers.CHANNEL_VARIABLE).orElse(null));
    } else {
      McpServers.control(version, natsTarget(), env().workingDir());
    }
    return ExitCode.OK;
  }
}
