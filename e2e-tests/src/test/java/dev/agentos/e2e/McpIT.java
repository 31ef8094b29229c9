package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code agentos mcp} as an editor runs it: the packaged CLI as its own process, spoken to over
 * stdio by the official SDK's client, against nats-server and the four services. Each agent step
 * takes a second, so that a watch sees the cycle's events as they happen.
 */
class McpIT {
  private static Cluster cluster;
  private static McpSyncClient client;
  private static final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.executor.command",
                "env AGENT_DELAY_SECONDS=1 bash " + Cluster.agentScript("recording-agent.sh")));
    Path jar = Cluster.repoRoot().resolve("agentos-cli/target/agentos-cli.jar");
    ServerParameters server =
        ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .args("-jar", jar.toString(), "mcp", "--nats", cluster.nats.url())
            .env(Map.of("AGENTOS_STATE_DIR", Files.createTempDirectory("agentos-mcp-").toString()))
            .build();
    client =
        McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(180))
            .initializationTimeout(Duration.ofSeconds(60))
            .progressConsumer(progress::add)
            .build();
    client.initialize();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.closeGracefully();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder(tool).arguments(args).build());
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  private static JsonNode json(CallToolResult result) {
    assertFalse(Boolean.TRUE.equals(result.isError()), text(result));
    return Json.tree(text(result).getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(CallToolResult result) {
    assertTrue(Boolean.TRUE.equals(result.isError()), "a tool error: " + text(result));
    return text(result);
  }

  private static List<ProgressNotification> mine(List<ProgressNotification> all, String token) {
    return all.stream().filter(p -> token.equals(p.progressToken())).toList();
  }

  @Test
  void listsEveryToolWithItsSchemaAndTheCycleTemplate() {
    List<Tool> tools = client.listTools().tools();
    assertEquals(
        Set.of(
            "submit", "status", "list", "watch", "approve", "reject", "answer", "cancel", "history",
            "stats"),
        Set.copyOf(tools.stream().map(Tool::name).toList()));
    Tool watch = tools.stream().filter(t -> t.name().equals("watch")).findFirst().orElseThrow();
    assertEquals(List.of("cycle_id"), watch.inputSchema().get("required"));
    assertEquals(
        List.of("agentos://cycles/{cycle_id}"),
        client.listResourceTemplates().resourceTemplates().stream()
            .map(ResourceTemplate::uriTemplate)
            .toList());
  }

  @Test
  void submitsACycleAndWatchesItToCompletedWithAProgressNotificationPerEvent() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    JsonNode submitted =
        json(
            call(
                "submit",
                Map.of(
                    "workspace", workspace.toString(), "spec", Workspaces.SPEC, "project", "mcp")));
    String id = submitted.path("cycle_id").asText();
    assertTrue(id.matches("[a-z0-9-]{3,64}"), submitted.toString());

    progress.clear();
    JsonNode watched =
        json(
            client.callTool(
                CallToolRequest.builder("watch")
                    .arguments(Map.of("cycle_id", id, "timeout_seconds", 120))
                    .progressToken("watch-1")
                    .build()));
    assertEquals("COMPLETED", watched.path("status").asText(), watched.toString());
    assertFalse(watched.path("timed_out").asBoolean(), watched.toString());

    // The client hands notifications to its consumer apart from the reply: wait for the last one.
    int events = watched.path("events").asInt();
    Await.until(
        Duration.ofSeconds(10),
        events + " progress notifications of watch-1 (" + progress + ")",
        () -> mine(progress, "watch-1").size() == events);
    List<ProgressNotification> mine = mine(progress, "watch-1");
    assertTrue(mine.size() >= 2, "progress per event: " + mine);
    for (int i = 0; i < mine.size(); i++) {
      assertEquals(i + 1, mine.get(i).progress(), 0.0, "progress grows by one per event");
    }
    assertTrue(
        mine.stream().anyMatch(p -> p.message().startsWith("step_finished")),
        "the agent's steps are among them: " + mine);

    TextResourceContents state =
        (TextResourceContents)
            client
                .readResource(new ReadResourceRequest("agentos://cycles/" + id))
                .contents()
                .get(0);
    assertEquals("application/json", state.mimeType());
    JsonNode cycle = Json.tree(state.text().getBytes(StandardCharsets.UTF_8));
    assertEquals("COMPLETED", cycle.path("status").asText());
    assertEquals("mcp", cycle.path("project").asText());
    assertEquals(
        2, Workspaces.agentCalls(workspace).stream().filter(l -> l.endsWith(" done")).count());

    JsonNode listed = json(call("list", Map.of("project", "mcp")));
    assertEquals(id, listed.path("cycles").get(0).path("cycle_id").asText());
  }

  @Test
  void badArgumentsAreToolErrorsAndNoCycleIsWritten() throws Exception {
    Set<String> before = Set.copyOf(cluster.store.cycleIds());
    Path workspace = Workspaces.withSpec(1);

    assertTrue(refusal(call("submit", Map.of())).startsWith("INVALID_ARGUMENTS: give 'spec'"));
    assertTrue(
        refusal(call("submit", Map.of("goal", "g", "workspace", workspace + "/nope")))
            .contains("is not a directory"));
    // Refused by the input schema, which takes no argument it does not name.
    refusal(call("submit", Map.of("spec", Workspaces.SPEC, "colour", "red")));
    refusal(call("submit", Map.of("spec", Workspaces.SPEC, "max_iterations", "three")));
    assertTrue(
        refusal(call("status", Map.of("cycle_id", "../etc/passwd"))).contains("not a cycle id"));
    refusal(call("watch", Map.of("cycle_id", "some-cycle", "timeout_seconds", 0)));
    assertTrue(refusal(call("reject", Map.of("cycle_id", "some-cycle"))).contains("comment"));
    refusal(call("answer", Map.of("cycle_id", "some-cycle")));
    refusal(call("answer", Map.of("cycle_id", "some-cycle", "answer", "x".repeat(20_001))));
    // The API's own refusal reaches the client with its code: the workspace has no such spec.
    String refused =
        refusal(
            call(
                "submit",
                Map.of("workspace", workspace.toString(), "spec", ".agent-os/specs/missing")));
    assertTrue(refused.startsWith("INVALID_REQUEST: "), refused);

    assertEquals(before, Set.copyOf(cluster.store.cycleIds()), "no cycle was written");
  }

  @Test
  void refusalsOfTheApiCarryTheirCodeAndMessage() throws Exception {
    String unknown = refusal(call("status", Map.of("cycle_id", "no-such-cycle")));
    assertTrue(unknown.startsWith("NOT_FOUND: "), unknown);
    assertThrows(
        McpError.class,
        () -> client.readResource(new ReadResourceRequest("agentos://cycles/no-such-cycle")));

    Path workspace = Workspaces.withSpec(1);
    String id =
        json(call(
                "submit",
                Map.of(
                    "workspace",
                    workspace.toString(),
                    "spec",
                    Workspaces.SPEC,
                    "approve_after_plan",
                    true)))
            .path("cycle_id")
            .asText();
    JsonNode waiting = json(call("watch", Map.of("cycle_id", id, "timeout_seconds", 120)));
    assertEquals("AWAITING_APPROVAL", waiting.path("status").asText(), waiting.toString());

    // Not waiting for an answer: refused by the answer endpoint, or, where no service serves it
    // yet, the client is told that nothing answers it rather than left to time out.
    String answer = refusal(call("answer", Map.of("cycle_id", id, "answer", "EUR")));
    assertTrue(
        answer.startsWith("UNAVAILABLE: no Agent OS service answers agentos.api.answer")
            || answer.matches("(?s)[A-Z_]+: .*" + id + ".*"),
        answer);

    assertEquals(
        "CANCELLED",
        json(call("cancel", Map.of("cycle_id", id, "reason", "enough"))).path("status").asText());
    String approveCancelled = refusal(call("approve", Map.of("cycle_id", id)));
    assertTrue(approveCancelled.matches("(?s)[A-Z_]+: .+"), approveCancelled);
    assertFalse(approveCancelled.startsWith("UNAVAILABLE"), approveCancelled);
  }
}
