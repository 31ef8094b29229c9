package dev.agentos.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentos mcp --agent} as an agent's CLI starts it: the packaged jar as its own process, an
 * MCP client of the official SDK on its standard input and output, and the channel directory in
 * {@code AGENTOS_CHANNEL}.
 */
class AgentMcpServerIT {
  private static final Path JAR = Path.of("target", "agentos-cli.jar").toAbsolutePath();

  @TempDir Path channel;

  private static McpSyncClient start(Map<String, String> env) {
    ServerParameters server =
        ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .args("-jar", JAR.toString(), "mcp", "--agent")
            .env(env)
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize();
    return client;
  }

  private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder(tool).arguments(args).build());
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @Test
  void recordsDecisionsAndTheQuestionInTheChannelAndRefusesOversizedOnes() throws Exception {
    try (McpSyncClient client = start(Map.of("AGENTOS_CHANNEL", channel.toString()))) {
      List<String> tools = client.listTools().tools().stream().map(Tool::name).toList();
      assertEquals(List.of("record_decision", "ask_person"), tools);

      CallToolResult recorded =
          call(
              client,
              "record_decision",
              Map.of("title", "Storage", "decision", "KV bucket", "rationale", "no database"));
      assertFalse(Boolean.TRUE.equals(recorded.isError()), text(recorded));
      List<String> lines = Files.readAllLines(channel.resolve("decisions.jsonl"));
      assertEquals(1, lines.size());
      JsonNode decision = Json.tree(lines.get(0).getBytes());
      assertEquals("Storage", decision.path("title").asText());
      assertEquals("KV bucket", decision.path("decision").asText());
      assertEquals("no database", decision.path("rationale").asText());

      CallToolResult oversized =
          call(
              client,
              "record_decision",
              Map.of("title", "t", "decision", "d", "rationale", "r".repeat(8_001)));
      assertTrue(oversized.isError());
      assertTrue(text(oversized).contains("'rationale'"), text(oversized));
      assertEquals(1, Files.readAllLines(channel.resolve("decisions.jsonl")).size());

      CallToolResult missing = call(client, "record_decision", Map.of("title", "t"));
      assertTrue(missing.isError(), text(missing));
      assertEquals(1, Files.readAllLines(channel.resolve("decisions.jsonl")).size());

      CallToolResult asked =
          call(client, "ask_person", Map.of("question", "EUR or USD?", "context", "both in spec"));
      assertFalse(Boolean.TRUE.equals(asked.isError()), text(asked));
      assertTrue(text(asked).contains("Stop now"), text(asked));
      JsonNode question = Json.tree(Files.readAllBytes(channel.resolve("question.json")));
      assertEquals("EUR or USD?", question.path("question").asText());
      assertEquals("both in spec", question.path("context").asText());

      CallToolResult tooLong = call(client, "ask_person", Map.of("question", "q".repeat(4_001)));
      assertTrue(tooLong.isError());
      assertEquals(
          "EUR or USD?",
          Json.tree(Files.readAllBytes(channel.resolve("question.json")))
              .path("question")
              .asText());
    }
  }

  @Test
  void withoutAChannelEveryToolSaysSoAndWritesNothing() throws Exception {
    try (McpSyncClient client = start(Map.of("AGENTOS_CHANNEL", ""))) {
      CallToolResult result =
          call(client, "record_decision", Map.of("title", "t", "decision", "d", "rationale", "r"));
      assertTrue(result.isError());
      assertTrue(text(result).contains("AGENTOS_CHANNEL is not set"), text(result));
      result = call(client, "ask_person", Map.of("question", "q"));
      assertTrue(result.isError());
    }
    try (var files = Files.list(channel)) {
      assertEquals(0, files.count());
    }
  }
}
