package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Message;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests get a clear error reply with the service error headers and write nothing. */
class BadInputIT {
  private static Cluster cluster;
  private static Path workspace;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = Cluster.start(Map.of());
    workspace = Workspaces.withSpec(1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON | {\"project\":\"shop\", | INVALID_REQUEST | malformed JSON",
        "wrong type | {\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"WS\"},"
            + "\"options\":{\"max_iterations\":\"three\"}} | INVALID_REQUEST | max_iterations",
        "unknown field | {\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"WS\"},"
            + "\"colour\":\"red\"} | INVALID_REQUEST | colour",
        "path with .. | {\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"WS/../x\"}}"
            + " | INVALID_REQUEST | '..'",
        "spec leaving the workspace | {\"project\":\"shop\",\"spec\":\"../../etc\","
            + "\"workspace\":{\"path\":\"WS\"}} | INVALID_REQUEST | '..'",
        "no goal or spec | {\"project\":\"shop\",\"workspace\":{\"path\":\"WS\"}} | INVALID_REQUEST"
            + " | give a spec",
        "unknown instruction | {\"project\":\"shop\",\"goal\":\"x\",\"instruction\":\"fly\","
            + "\"workspace\":{\"path\":\"WS\"}} | INVALID_REQUEST | unknown instruction",
      })
  void submitRejectsBadInputAndWritesNoCycle(String name, String body, String code, String mentions)
      throws Exception {
    Message reply =
        cluster.request(Topology.apiSubject("submit"), body.replace("WS", workspace.toString()));
    JsonNode error = Json.tree(reply.getData()).path("error");
    assertEquals(code, error.path("code").asText(), name + ": " + error);
    assertTrue(error.path("message").asText().contains(mentions), name + ": " + error);
    assertEquals("400", reply.getHeaders().getFirst("Nats-Service-Error-Code"), name);
    assertTrue(cluster.store.cycleIds().isEmpty(), name + " wrote no cycle");
  }

  @ParameterizedTest(name = "{0} of an unknown cycle")
  @CsvSource({"status", "cancel", "resume", "retry"})
  void steeringAnUnknownCycleIsNotFound(String endpoint) throws Exception {
    Message reply =
        cluster.request(Topology.apiSubject(endpoint), "{\"cycle_id\":\"20990101-000000-nope\"}");
    JsonNode error = Json.tree(reply.getData()).path("error");
    assertEquals("NOT_FOUND", error.path("code").asText(), error.toString());
    assertEquals("404", reply.getHeaders().getFirst("Nats-Service-Error-Code"));
    assertTrue(cluster.store.cycleIds().isEmpty());
  }

  @ParameterizedTest(name = "oversized {0}")
  @CsvSource({"submit", "status"})
  void rejectsOversizedPayloads(String endpoint) throws Exception {
    String body = "{\"goal\":\"" + "x".repeat(70_000) + "\"}";
    Message reply = cluster.request(Topology.apiSubject(endpoint), body);
    JsonNode error = Json.tree(reply.getData()).path("error");
    assertEquals("PAYLOAD_TOO_LARGE", error.path("code").asText());
    assertTrue(cluster.store.cycleIds().isEmpty());
  }
}
