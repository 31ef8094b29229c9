package dev.agentos.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentChannelTest {
  @TempDir Path dir;

  @Test
  void appendsOneJsonLinePerDecision() throws Exception {
    AgentChannel channel = AgentChannel.of(dir.toString());
    channel.recordDecision("Storage", "Keep carts in KV", "one bucket, no database");
    channel.recordDecision("Ids", "UUIDs", "line\nbreaks \"quoted\"");
    List<String> lines = Files.readAllLines(dir.resolve(AgentChannel.DECISIONS));
    assertEquals(2, lines.size());
    JsonNode second = Json.tree(lines.get(1).getBytes());
    assertEquals("Ids", second.path("title").asText());
    assertEquals("line\nbreaks \"quoted\"", second.path("rationale").asText());
  }

  @Test
  void refusesAnOversizedFieldAndWritesNothing() {
    AgentChannel channel = AgentChannel.of(dir.toString());
    ToolError error =
        assertThrows(
            ToolError.class,
            () ->
                channel.recordDecision(
                    "x".repeat(AgentChannel.MAX_TITLE + 1), "decision", "rationale"));
    assertEquals(ToolError.INVALID_ARGUMENTS, error.code());
    assertTrue(error.getMessage().contains("'title'"), error.getMessage());
    assertFalse(Files.exists(dir.resolve(AgentChannel.DECISIONS)));
  }

  @Test
  void refusesADecisionOnceTheFileIsFull() throws Exception {
    Path file = dir.resolve(AgentChannel.DECISIONS);
    Files.write(file, new byte[(int) AgentChannel.MAX_DECISIONS_BYTES - 10]);
    ToolError error =
        assertThrows(
            ToolError.class, () -> AgentChannel.of(dir.toString()).recordDecision("t", "d", "r"));
    assertTrue(error.getMessage().contains("already fill"), error.getMessage());
    assertEquals(AgentChannel.MAX_DECISIONS_BYTES - 10, Files.size(file));
  }

  @Test
  void writesTheQuestionOnceAndRefusesASecond() throws Exception {
    AgentChannel channel = AgentChannel.of(dir.toString());
    channel.askPerson("Which currency?", "EUR and USD are both in the spec");
    JsonNode question = Json.tree(Files.readAllBytes(dir.resolve(AgentChannel.QUESTION)));
    assertEquals("Which currency?", question.path("question").asText());
    assertEquals("EUR and USD are both in the spec", question.path("context").asText());

    assertThrows(ToolError.class, () -> channel.askPerson("Another?", null));
    question = Json.tree(Files.readAllBytes(dir.resolve(AgentChannel.QUESTION)));
    assertEquals("Which currency?", question.path("question").asText());
  }

  @Test
  void anUnsetOrMissingChannelIsAClearError() {
    ToolError unset = assertThrows(ToolError.class, () -> AgentChannel.of(null));
    assertTrue(unset.getMessage().contains("AGENTOS_CHANNEL is not set"), unset.getMessage());
    ToolError missing =
        assertThrows(ToolError.class, () -> AgentChannel.of(dir.resolve("gone").toString()));
    assertTrue(missing.getMessage().contains("is not a directory"), missing.getMessage());
  }

  @Test
  void neverWritesThroughASymbolicLink() throws Exception {
    Path elsewhere = Files.createTempFile("agentos-elsewhere-", ".txt");
    Files.createSymbolicLink(dir.resolve(AgentChannel.DECISIONS), elsewhere);
    assertThrows(
        ToolError.class, () -> AgentChannel.of(dir.toString()).recordDecision("t", "d", "r"));
    assertEquals(0, Files.size(elsewhere));
  }
}
