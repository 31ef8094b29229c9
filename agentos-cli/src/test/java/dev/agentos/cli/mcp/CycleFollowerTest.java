package dev.agentos.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CycleFollowerTest {
  private static JsonNode json(String text) {
    return Json.tree(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stopsAtAnEndOrAtAPersonByStatusNameEvenOneThisVersionDoesNotKnow() {
    for (String status :
        new String[] {
          "COMPLETED", "FAILED", "CANCELLED", "PAUSED", "AWAITING_APPROVAL", "NEEDS_INPUT"
        }) {
      assertTrue(CycleFollower.stopped(json("{\"status\":\"" + status + "\"}")), status);
    }
    assertFalse(CycleFollower.stopped(json("{\"status\":\"EXECUTING\"}")));
    assertFalse(CycleFollower.stopped(json("{\"status\":\"SOMETHING_NEW\"}")));
  }

  @Test
  void describesAnEventOnOneBoundedLine() {
    assertEquals(
        "step_started EXECUTING (EXECUTE, iteration 1): step 2/3 Add the cart",
        CycleFollower.describe(
            json(
                "{\"type\":\"step_started\",\"status\":\"EXECUTING\",\"phase\":\"EXECUTE\","
                    + "\"iteration\":1,\"message\":\"step 2/3\\nAdd the cart\"}")));
    String line =
        CycleFollower.describe(
            json("{\"type\":\"output\",\"message\":\"" + "x".repeat(1000) + "\"}"));
    assertEquals(300, line.length());
    assertTrue(line.endsWith("…"));
  }
}
