package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.state.StepStatus;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade, seen from this version: a cycle that a newer (or older) replica wrote last is
 * carried on to COMPLETED by these four services, and what the other version wrote that this one
 * does not know is still there at the end. The cycle waits at an approval gate after PLAN, where
 * the other version's write is made, so EXECUTE, EXPRESS and REVIEW each read-modify-write it.
 */
class SchemaEvolutionIT {
  private static Cluster cluster;
  private static KeyValue cycles;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = Cluster.start(Map.of());
    cycles = cluster.nc.keyValue(Topology.CYCLES_BUCKET);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aCycleLastWrittenByANewerMinorVersionCompletesAndKeepsItsFields() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    JsonNode done =
        completedAfterAnotherVersionWrote(
            workspace,
            state -> {
              state.put("schema", "agentos.cycle/v1.7");
              state.putObject("labels").put("team", "payments");
              ObjectNode iteration = (ObjectNode) state.at("/iterations/0");
              iteration.put("planner_model", "gpt-5");
              ((ObjectNode) iteration.at("/plan")).put("estimated_minutes", 50);
              ((ObjectNode) iteration.at("/plan/steps/1")).putArray("depends_on").add("1");
            });

    assertEquals("agentos.cycle/v1.7", done.path("schema").asText(), "the schema is not lowered");
    assertEquals("payments", done.at("/labels/team").asText());
    assertEquals("gpt-5", done.at("/iterations/0/planner_model").asText());
    assertEquals(50, done.at("/iterations/0/plan/estimated_minutes").asInt());
    assertEquals("1", done.at("/iterations/0/plan/steps/1/depends_on/0").asText());
    assertStepsCompleted(done, workspace);
  }

  @Test
  void aCycleLastWrittenByAnOlderVersionWithoutTheNewerOptionalFieldsCompletes() throws Exception {
    Path workspace = Workspaces.withSpec(2);
    // Fields this version added to v1 (all optional): a replica of the version before never
    // writes them, and drops them when it rewrites the state.
    JsonNode done =
        completedAfterAnotherVersionWrote(
            workspace,
            state -> {
              assertTrue(state.has("requeues") && state.has("usage"), "written by this version");
              state.remove("requeues");
              state.remove("usage");
              state.remove("parent_cycle_id");
              state.remove("parent_summary");
            });

    assertEquals(CycleState.SCHEMA, done.path("schema").asText());
    assertStepsCompleted(done, workspace);
  }

  /**
   * Submits a cycle with an approval gate after PLAN, lets {@code change} rewrite its stored state
   * at the gate, approves it, and returns the stored document once it COMPLETED.
   */
  private static JsonNode completedAfterAnotherVersionWrote(
      Path workspace, Consumer<ObjectNode> change) throws Exception {
    String cycleId = submitAndWaitAtTheGate(workspace);
    writtenByAnotherVersion(cycleId, change);
    approve(cycleId);
    cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(60));
    return stored(cycleId);
  }

  private static String submitAndWaitAtTheGate(Path workspace) throws Exception {
    JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("submit"),
            Workspaces.submit(workspace, "{\"approvals\":{\"after_plan\":true}}"));
    String cycleId = reply.path("cycle_id").asText();
    assertFalse(cycleId.isBlank(), "submit replies with the cycle id: " + reply);
    cluster.awaitStatus(cycleId, Status.AWAITING_APPROVAL, Duration.ofSeconds(60));
    return cycleId;
  }

  /** Rewrites the stored document as another version would: on the revision it read. */
  private static void writtenByAnotherVersion(String cycleId, Consumer<ObjectNode> change)
      throws Exception {
    KeyValueEntry entry = cycles.get(Topology.cycleKey(cycleId));
    ObjectNode state = (ObjectNode) Json.tree(entry.getValue());
    change.accept(state);
    cycles.update(Topology.cycleKey(cycleId), Json.write(state), entry.getRevision());
  }

  private static void approve(String cycleId) throws Exception {
    JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("approve"), "{\"cycle_id\":\"" + cycleId + "\",\"approved\":true}");
    assertTrue(reply.path("error").isMissingNode(), "approved: " + reply);
  }

  private static JsonNode stored(String cycleId) throws Exception {
    return Json.tree(cycles.get(Topology.cycleKey(cycleId)).getValue());
  }

  private static void assertStepsCompleted(JsonNode done, Path workspace) throws Exception {
    JsonNode steps = done.at("/iterations/0/execution/steps");
    assertEquals(2, steps.size(), done.toString());
    for (JsonNode step : steps) {
      assertEquals(StepStatus.COMPLETED.name(), step.path("status").asText(), step.toString());
    }
    assertEquals("PASS", done.at("/iterations/0/review/verdict").asText());
    String tasks = Files.readString(workspace.resolve(Workspaces.SPEC + "/tasks.md"));
    assertFalse(tasks.contains("[ ]"), "every box ticked:\n" + tasks);
  }
}
