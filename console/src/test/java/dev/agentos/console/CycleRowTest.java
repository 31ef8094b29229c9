package dev.agentos.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleRowTest {
  private static CycleRow row(String json) {
    return CycleRow.of(Json.tree(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void countsFinishedStepsOfTheCurrentIterationAndNamesEachModelOnce() {
    CycleRow row =
        row(
            """
            {"cycle_id":"c1","status":"EXECUTING","phase":"EXECUTE","iteration":2,
             "project":"shop","instruction":"execute-tasks","created_at":"2026-12-07T07:00:00Z",
             "usage":{"total":{"tokens_in":400,"tokens_out":100,"cost_usd":0.25},
                      "models":{"EXECUTE":"gpt-a","REVIEW":"gpt-a","PLAN":"gpt-b"}},
             "iterations":[
               {"plan":{"steps":[{"id":"1"}]},"execution":{"steps":[{"id":"1","status":"COMPLETED"}]}},
               {"plan":{"steps":[{"id":"1"},{"id":"2"},{"id":"3"}]},
                "execution":{"steps":[{"id":"1","status":"COMPLETED"},{"id":"2","status":"RUNNING"}]}}]}
            """);
    assertEquals("1/3", row.step());
    assertEquals("gpt-a, gpt-b", row.model());
    assertEquals(500, row.tokens());
    assertEquals(0.25, row.costUsd());
    assertEquals(List.of("cancel"), row.actions());
  }

  @Test
  void showsAStateOfANewerVersionWithoutActions() {
    CycleRow row = row("{\"cycle_id\":\"c2\",\"status\":\"HIBERNATING\",\"iterations\":[]}");
    assertEquals("HIBERNATING", row.status());
    assertEquals("", row.step());
    assertEquals(List.of(), row.actions());
  }

  @Test
  void offersOnlyWhatTheStateMachineAllows() {
    assertEquals(List.of("approve", "reject", "cancel"), Actions.allowed("AWAITING_APPROVAL"));
    assertEquals(List.of("resume", "retry"), Actions.allowed("FAILED"));
    assertEquals(List.of("resume", "retry", "cancel"), Actions.allowed("PAUSED"));
    assertEquals(List.of(), Actions.allowed("COMPLETED"));
    assertEquals("approve", Actions.of("reject").orElseThrow().endpoint());
  }
}
