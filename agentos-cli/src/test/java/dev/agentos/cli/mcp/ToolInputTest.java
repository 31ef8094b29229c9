package dev.agentos.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.SubmitRequest;
import dev.agentos.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments are refused, with the argument named, before anything is sent. */
class ToolInputTest {
  @TempDir Path dir;

  private static String refusal(Runnable call) {
    ToolError error = assertThrows(ToolError.class, call::run);
    assertEquals(ToolError.INVALID_ARGUMENTS, error.code());
    return error.getMessage();
  }

  @Test
  void namesTheArgumentThatIsMissingMistypedOrOutOfRange() {
    assertTrue(refusal(() -> new ToolInput(Map.of()).cycleId()).contains("'cycle_id'"));
    assertTrue(
        refusal(() -> new ToolInput(Map.of("cycle_id", 7)).cycleId()).contains("must be a string"));
    assertTrue(
        refusal(() -> new ToolInput(Map.of("cycle_id", "../etc")).cycleId())
            .contains("is not a cycle id"));
    assertTrue(
        refusal(() -> new ToolInput(Map.of("limit", 0)).integer("limit", 1, 200))
            .contains("between 1 and 200"));
    assertTrue(
        refusal(() -> new ToolInput(Map.of("limit", 1.5)).integer("limit", 1, 200))
            .contains("whole number"));
    assertTrue(
        refusal(
                () ->
                    new ToolInput(Map.of("answer", "x".repeat(ToolInput.MAX_TEXT + 1)))
                        .text("answer"))
            .contains("at most"));
    assertTrue(
        refusal(() -> new ToolInput(Map.of("status", "DONE")).oneOf("status", List.of("COMPLETED")))
            .contains("use one of COMPLETED"));
  }

  @Test
  void submitNeedsASpecOrAGoalAndAnExistingWorkspace() {
    SubmitArguments submit = new SubmitArguments(dir);
    assertTrue(refusal(() -> submit.request(new ToolInput(Map.of()))).contains("'spec'"));
    assertTrue(
        refusal(
                () ->
                    submit.request(new ToolInput(Map.of("goal", "g", "workspace", "no-such-dir"))))
            .contains("is not a directory"));
    assertTrue(
        refusal(() -> submit.request(new ToolInput(Map.of("goal", "g", "cycle_id", "mine-l2"))))
            .contains("mine-l2"));
  }

  @Test
  void submitBuildsTheRequestTheCliWouldSend() throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("My Shop"));
    Files.createDirectories(workspace.resolve(".agent-os/specs/cart"));
    SubmitRequest request =
        new SubmitArguments(dir)
            .request(
                new ToolInput(
                    Map.of(
                        "workspace",
                        "My Shop",
                        "spec",
                        ".agent-os/specs/cart",
                        "approve_after_plan",
                        true,
                        "agents",
                        Map.of("executor", "claude"))));
    JsonNode json = Json.tree(Json.write(request));
    assertEquals("My-Shop", json.path("project").asText());
    assertEquals(workspace.toString(), json.path("workspace").path("path").asText());
    assertEquals(".agent-os/specs/cart", json.path("spec").asText());
    assertTrue(json.path("options").path("approvals").path("after_plan").asBoolean());
    assertEquals(
        "claude", json.path("options").path("agents").path("executor").path("profile").asText());
    assertNull(request.goal());
  }
}
