package dev.agentos.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.api.Requests;
import dev.agentos.api.SubmitRequest;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static byte[] bytes(String json) {
    return json.getBytes(UTF_8);
  }

  private static AgentOsException invalid(Runnable read) {
    AgentOsException e = assertThrows(AgentOsException.class, read::run);
    assertEquals(ErrorCode.INVALID_REQUEST, e.code(), e.getMessage());
    return e;
  }

  @Test
  void writesSnakeCaseFieldNames() {
    JsonNode tree = Json.mapper().valueToTree(CycleFixtures.inStatus(Status.EXPRESSING));
    assertTrue(tree.has("cycle_id"));
    assertFalse(tree.has("cycleId"));
    assertTrue(tree.has("created_at"));
    JsonNode step = tree.at("/iterations/0/execution/steps/0");
    assertTrue(step.has("workspace_ref"), step.toString());
    assertTrue(step.has("started_at"), step.toString());
    JsonNode options =
        Json.mapper()
            .valueToTree(CycleFixtures.queued("c-123", CycleFixtures.options(2, true, false)));
    assertTrue(options.at("/options/approvals").has("after_plan"), options.toString());
    assertTrue(options.at("/options").has("max_iterations"), options.toString());
    assertTrue(tree.at("/usage/total").has("tokens_in"));
  }

  @Test
  void writesEnumsUpperCaseAndInstantsAsIsoStrings() {
    JsonNode tree = Json.mapper().valueToTree(CycleFixtures.inStatus(Status.EXECUTING));
    assertEquals("EXECUTING", tree.get("status").asText());
    assertEquals("EXECUTE", tree.get("phase").asText());
    assertEquals("2026-11-20T10:00:00Z", tree.get("created_at").asText());
    assertEquals("2026-11-20T10:00:41Z", tree.at("/lease/until").asText());
  }

  @Test
  void leavesNullFieldsAndEmptyExtrasOut() {
    JsonNode tree = Json.mapper().valueToTree(CycleFixtures.queued());
    assertFalse(tree.has("lease"));
    assertFalse(tree.has("error"));
    assertFalse(tree.has("extra"));
    assertFalse(tree.toString().contains("null"), tree.toString());
  }

  @Test
  void readsARequestInSnakeCase() {
    Requests.Approve approve =
        Json.read(
            bytes("{\"cycle_id\":\"c-123\",\"approved\":false,\"comment\":\"too big\"}"),
            Requests.Approve.class);
    assertEquals(new Requests.Approve("c-123", false, "too big", null, null, null, null), approve);
  }

  @Test
  void rejectsAnUnknownRequestFieldNamingIt() {
    AgentOsException e =
        invalid(
            () ->
                Json.read(
                    bytes("{\"cycle_id\":\"c-123\",\"cycleId\":\"c-123\"}"),
                    Requests.CycleRef.class));
    assertTrue(e.getMessage().contains("cycleId"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownFieldNestedInASubmit() {
    AgentOsException e =
        invalid(
            () ->
                Json.read(
                    bytes(
                        "{\"project\":\"shop\",\"workspace\":{\"path\":\"/r\"},"
                            + "\"options\":{\"max_iteration\":2}}"),
                    SubmitRequest.class));
    assertTrue(e.getMessage().contains("max_iteration"), e.getMessage());
  }

  @Test
  void rejectsAStringForANumber() {
    AgentOsException e =
        invalid(() -> Json.read(bytes("{\"limit\":\"3\"}"), Requests.ListCycles.class));
    assertTrue(e.getMessage().contains("\"3\""), e.getMessage());
  }

  @Test
  void rejectsALowerCaseEnum() {
    invalid(() -> Json.read(bytes("{\"status\":\"queued\"}"), Requests.ListCycles.class));
  }

  @Test
  void rejectsMalformedJsonSayingWhere() {
    String body = "{\n  \"cycle_id\": \"c-123\",,\n}";
    AgentOsException read = invalid(() -> Json.read(bytes(body), Requests.CycleRef.class));
    assertTrue(read.getMessage().contains("line 2, column"), read.getMessage());
    AgentOsException tree = invalid(() -> Json.tree(bytes(body)));
    assertTrue(tree.getMessage().contains("line 2, column"), tree.getMessage());
  }

  @Test
  void rejectsTrailingTokensAfterTheObject() {
    invalid(() -> Json.read(bytes("{\"cycle_id\":\"a\"} {}"), Requests.CycleRef.class));
  }

  @Test
  void rejectsAnEmptyBody() {
    AgentOsException e = invalid(() -> Json.tree(new byte[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void storedStateKeepsUnknownFieldsInItsExtras() {
    ObjectNode stored = Json.mapper().valueToTree(CycleFixtures.queued());
    stored.put("priority", "high");
    CycleState state = Json.convertStored(stored, CycleState.class);
    assertEquals("high", state.extra().get("priority").asText());
    assertEquals("high", Json.mapper().valueToTree(state).get("priority").asText());
  }

  @Test
  void storedStateIsReadLenientlyWhereAStrictReadFails() {
    ObjectNode stored = Json.mapper().valueToTree(CycleFixtures.inStatus(Status.EXECUTING));
    ((ObjectNode) stored.get("lease")).put("renewals", 4);
    AgentOsException strict = invalid(() -> Json.convert(stored, CycleState.class));
    assertTrue(strict.getMessage().contains("renewals"), strict.getMessage());
    CycleState lenient = Json.convertStored(stored, CycleState.class);
    assertEquals(CycleFixtures.inStatus(Status.EXECUTING).lease(), lenient.lease());
  }

  @Test
  void stateSurvivesARoundTrip() {
    CycleState state = CycleFixtures.inStatus(Status.REVIEWING);
    assertEquals(state, Json.convertStored(Json.mapper().valueToTree(state), CycleState.class));
  }

  @Test
  void storedStateReadFromBytesIsTheStateReadFromItsTree() {
    ObjectNode stored = Json.mapper().valueToTree(CycleFixtures.inStatus(Status.EXECUTING));
    ((ObjectNode) stored.get("lease")).put("renewals", 4);
    stored.put("priority", "high");
    byte[] bytes = Json.write(stored);
    CycleState fromBytes = Json.readStored(bytes, CycleState.class);
    assertEquals(Json.convertStored(stored, CycleState.class), fromBytes);
    assertEquals("high", fromBytes.extra().get("priority").asText());
  }

  @Test
  void unreadableStoredBytesAreAnInternalError() {
    for (String text : new String[] {"null", "[1]", "{\"cycle_id\":", ""}) {
      AgentOsException e =
          assertThrows(
              AgentOsException.class, () -> Json.readStored(bytes(text), CycleState.class));
      assertEquals(ErrorCode.INTERNAL, e.code(), text);
    }
  }

  @Test
  void readsOnlyTheNamedTopLevelFields() {
    byte[] state =
        ("{\"iterations\":[{\"status\":\"NESTED\"}],\"status\":\"EXECUTING\","
                + "\"lease\":{\"owner\":\"w\"},\"phase\":\"EXECUTE\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    var fields = Json.topLevelFields(state, java.util.Set.of("status", "lease"));

    assertEquals("EXECUTING", fields.path("status").asText(), "not the nested one");
    assertEquals("w", fields.at("/lease/owner").asText());
    assertEquals(2, fields.size());
    assertEquals(
        0,
        Json.topLevelFields(
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Set.of("status"))
            .size());
    assertEquals(0, Json.topLevelFields(new byte[0], java.util.Set.of("status")).size());
  }
}
