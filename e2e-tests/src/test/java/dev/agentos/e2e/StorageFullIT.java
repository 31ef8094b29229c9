package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.FakeOpenAiServer;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store that fills up under a running cycle pauses it with STORAGE_FULL instead of running its
 * agents again; once an operator makes room, a resume goes on where it stood.
 */
class StorageFullIT {
  /** Longer than the state keeps of an answer, so each step's transcript is an artifact. */
  private static final String ANSWER = "Done: the step is implemented. " + "details ".repeat(300);

  private static final String ARTIFACTS_STREAM = "OBJ_" + Topology.ARTIFACTS_STORE;
  private static FakeOpenAiServer executor;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    executor = new FakeOpenAiServer();
    executor.answerAlways(ANSWER, 400, 100);
    cluster =
        Cluster.withModelExecutor(
            executor,
            "sk-test",
            Map.of(
                // Smaller than one transcript: the object store refuses the first one.
                "agentos.nats.max-bytes.artifacts", "1024", "agentos.worker.storage-wait", "2s"));
  }

  @AfterAll
  static void stop() throws Exception {
    Cluster.closeAll(cluster, executor);
  }

  @Test
  void aFullObjectStorePausesTheCycleAndAResumeAfterRoomIsMadeRunsNoStepAgain() throws Exception {
    Path workspace = Workspaces.withSpec(3);
    String cycleId = cluster.submit(workspace, "{\"max_iterations\":1}");

    CycleState paused = cluster.awaitStatus(cycleId, Status.PAUSED, Duration.ofSeconds(90));
    assertTrue(paused.pauseReason().startsWith("STORAGE_FULL: "), paused.pauseReason());
    assertTrue(paused.pauseReason().contains(Topology.ARTIFACTS_STORE), paused.pauseReason());
    assertEquals(1, executor.requests().size(), "no agent ran into the full store");
    StepRecord first = paused.currentIteration().execution().step("1").orElseThrow();
    assertEquals(StepStatus.COMPLETED, first.status(), "the step's work is kept");
    assertTrue(
        first.notes().stream().anyMatch(n -> n.contains("transcript could not be stored")),
        String.valueOf(first.notes()));
    List<CycleEvent> events = cluster.events(cycleId);
    assertTrue(
        events.stream()
            .anyMatch(e -> "retrying".equals(e.type()) && e.message().startsWith("STORAGE_FULL")),
        "the wait for room is told: " + events);
    assertEquals(
        1,
        events.stream()
            .filter(e -> "claimed".equals(e.type()) && e.phase() == Phase.EXECUTE)
            .count(),
        "the claim was kept through the wait, never given up and taken again: " + events);

    // An operator makes room (`nats stream edit OBJ_agentos-artifacts --max-bytes 64MB`).
    JetStreamManagement jsm = cluster.nc.jetStreamManagement();
    StreamConfiguration store = jsm.getStreamInfo(ARTIFACTS_STREAM).getConfiguration();
    jsm.updateStream(StreamConfiguration.builder(store).maxBytes(64L << 20).build());

    cluster.requestJson(Topology.apiSubject("resume"), "{\"cycle_id\":\"" + cycleId + "\"}");
    CycleState ended = cluster.awaitStatus(cycleId, Status.FAILED, Duration.ofSeconds(90));
    List<StepRecord> steps = ended.currentIteration().execution().steps();
    assertEquals(3, steps.size());
    steps.forEach(s -> assertEquals(StepStatus.COMPLETED, s.status(), s.toString()));
    steps.forEach(s -> assertEquals(1, s.attempts(), "step " + s.id() + " started once"));
    assertEquals(3, executor.requests().size(), "each step's agent ran once: " + steps);
    assertTrue(steps.get(1).artifact() != null, "room again: the next transcripts are kept");
  }
}
