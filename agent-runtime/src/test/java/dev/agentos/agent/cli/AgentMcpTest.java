package dev.agentos.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile's mcp: true, as the claude-code and codex presets pass it on. */
class AgentMcpTest {
  @TempDir Path home;

  private static CliOptions withMcp(AgentMcp mcp) {
    return new CliOptions(null, List.of("Read"), null, null, null, mcp);
  }

  @Test
  void claudeGetsAConfigFileNamingAgentosMcpAgentAndItsToolsPreApproved() throws Exception {
    AgentMcp mcp = new AgentMcp(List.of("/opt/agentos/bin/agentos"));
    Path prompt = home.resolve("prompt.md");
    List<String> args =
        new ClaudeCodePreset().arguments(withMcp(mcp), null, CliSession.fresh("s-1"), prompt);

    int at = args.indexOf("--allowedTools");
    assertEquals("Read,mcp__agentos__record_decision,mcp__agentos__ask_person", args.get(at + 1));
    Path config = Path.of(args.get(args.indexOf("--mcp-config") + 1));
    assertEquals(home.resolve("agentos-mcp.json"), config);
    JsonNode server = Json.tree(Files.readAllBytes(config)).path("mcpServers").path("agentos");
    assertEquals("stdio", server.path("type").asText());
    assertEquals("/opt/agentos/bin/agentos", server.path("command").asText());
    assertEquals("[\"mcp\",\"--agent\"]", server.path("args").toString());
    // Expanded by Claude Code from the agent's own environment; empty when the executor set none.
    assertEquals("${AGENTOS_CHANNEL:-}", server.path("env").path("AGENTOS_CHANNEL").asText());
  }

  @Test
  void codexGetsConfigOverridesBeforeItsSubcommand() {
    AgentMcp mcp = new AgentMcp(List.of("/opt/agentos/bin/agentos"));
    assertEquals(
        List.of(
            "exec",
            "--json",
            "--skip-git-repo-check",
            "-c",
            "mcp_servers.agentos.command=\"/opt/agentos/bin/agentos\"",
            "-c",
            "mcp_servers.agentos.args=[\"mcp\",\"--agent\"]",
            "-c",
            "mcp_servers.agentos.env_vars=[\"AGENTOS_CHANNEL\"]",
            "resume",
            "t-1",
            "-"),
        new CodexPreset().arguments(withMcp(mcp), null, CliSession.resuming("t-1"), null));
  }

  @Test
  void withoutMcpNothingIsAddedAndNoFileWritten() throws Exception {
    List<String> args =
        new ClaudeCodePreset()
            .arguments(withMcp(AgentMcp.OFF), null, CliSession.fresh("s"), home.resolve("p.md"));
    assertFalse(args.contains("--mcp-config"));
    assertEquals("Read", args.get(args.indexOf("--allowedTools") + 1));
    try (var files = Files.list(home)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void theLauncherIsTheConfiguredOneElseTheCheckoutsElseThePath() throws Exception {
    assertEquals(
        List.of(home.resolve("tools/agentos").toString(), "--quiet"),
        AgentMcp.of(Optional.of("tools/agentos --quiet"), home).launcher());
    assertEquals(List.of("agentos"), AgentMcp.of(Optional.empty(), home).launcher());
    Path launcher = Files.createDirectories(home.resolve("bin")).resolve("agentos");
    Files.writeString(launcher, "#!/bin/sh\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(List.of(launcher.toString()), AgentMcp.of(Optional.empty(), home).launcher());
  }
}
