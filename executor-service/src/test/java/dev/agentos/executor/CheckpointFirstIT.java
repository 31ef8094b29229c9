package dev.agentos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.RoleAgent;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.state.Workspace;
import dev.agentos.testing.Await;
import dev.agentos.testing.ReadOnlyFile;
import dev.agentos.testing.TestNats;
import dev.agentos.worker.PhaseWorker;
import dev.agentos.worker.WorkerServices;
import dev.agentos.worker.WorkerSettings;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished step is checkpointed COMPLETED before its transcript is stored and its box ticked, and
 * a failure of either is a note on the step, never a reason to run the agent again (a store still
 * full after the worker's wait pauses the cycle). Runs the real worker and executor against a real
 * nats-server whose artifact store is full, and on a tasks.md that cannot be written.
 */
class CheckpointFirstIT {
  private static final String SPEC = ".agent-os/specs/2026-12-07-notes";
  private static final String TASKS =
      "# Tasks\n\n- [ ] 1. Write the notes\n- [ ] 2. Publish them\n";
  private static final Duration DONE = Duration.ofSeconds(30);

  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;
  private static PhaseWorker worker;
  private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  @TempDir static Path workspaces;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Duration ackWait = Duration.ofSeconds(5);
    // An artifact store that cannot take a transcript.
    Topology.ensure(
        nc,
        new TopologySettings(
            1,
            ackWait,
            5,
            100,
            Duration.ofHours(1),
            new TopologySettings.StorageLimits(1L << 28, 1L << 28, 2048)));
    WorkerServices services =
        WorkerServices.plain(nc, Handoff.forRole(nc, Phase.EXECUTE, MessageTracing.NONE));
    store = services.store();
    ExecutorPhase executor =
        new ExecutorPhase(
            new RoleAgent(
                Phase.EXECUTE,
                state -> Optional.of(new TalkativeAgent()),
                project -> Knowledge.NONE,
                Duration.ofSeconds(10),
                RoleAgent.DEFAULT_MAX_PROMPT_CHARS),
            2,
            new SpecTaskBoxes(),
            java.time.Clock.systemUTC());
    worker =
        new PhaseWorker(
            executor,
            nc.getConsumerContext(Topology.WORK_STREAM, Topology.consumer(Phase.EXECUTE)),
            services,
            new WorkerSettings(
                1,
                ackWait,
                5,
                List.of(Duration.ofMillis(200)),
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofMinutes(1),
                Duration.ofMillis(300)),
            "executor-it");
    worker.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void aTranscriptTheFullObjectStoreRefusesIsANoteAndPausesTheCycleWithTheAgentRunOnce()
      throws Exception {
    Path workspace = workspace("full-store");
    CycleState paused = runCycle("20261207-100000-fullstore", workspace);

    assertEquals(Status.PAUSED, paused.status());
    assertTrue(paused.pauseReason().startsWith("STORAGE_FULL: "), paused.pauseReason());
    StepRecord first = paused.currentIteration().executionOrEmpty().step("1").orElseThrow();
    assertEquals(StepStatus.COMPLETED, first.status());
    assertNull(first.artifact(), "nothing was stored");
    assertTrue(
        first.notes().stream()
            .anyMatch(n -> n.startsWith("the step's transcript could not be stored")),
        String.valueOf(first.notes()));
    assertTrue(first.summary().endsWith("step done."), "the summary is kept in the state");
    assertTrue(
        paused.currentIteration().executionOrEmpty().step("2").isEmpty(),
        "the next step's start was taken back: a resume starts it as a first try");
    assertEquals(1, calls.get("20261207-100000-fullstore/1").get(), "the agent ran once");
    assertNull(calls.get("20261207-100000-fullstore/2"), "no agent ran into the full store");
    assertEquals(
        "# Tasks\n\n- [x] 1. Write the notes\n- [ ] 2. Publish them\n",
        Files.readString(workspace.resolve(SPEC).resolve("tasks.md")),
        "the finished step's box was ticked all the same");
  }

  @Test
  void aTasksFileThatCannotBeWrittenIsANoteAndTheAgentRunsOnce() throws Exception {
    Path workspace = workspace("read-only");
    Path tasks = workspace.resolve(SPEC).resolve("tasks.md");
    CycleState done;
    try (ReadOnlyFile readOnly = ReadOnlyFile.of(tasks)) {
      done = runCycle("20261207-100000-readonly", workspace);
    }
    for (StepRecord step : done.currentIteration().executionOrEmpty().steps()) {
      assertEquals(StepStatus.COMPLETED, step.status(), "step " + step.id());
      assertTrue(
          step.notes().stream()
              .anyMatch(n -> n.startsWith("the task's box in tasks.md could not be updated")),
          String.valueOf(step.notes()));
    }
    assertEquals(1, calls.get("20261207-100000-readonly/1").get(), "the agent ran once");
    assertEquals(1, calls.get("20261207-100000-readonly/2").get(), "the agent ran once");
    assertEquals(TASKS, Files.readString(tasks), "the file is as it was");
  }

  private static CycleState runCycle(String cycleId, Path workspace) throws Exception {
    Instant now = Instant.now();
    Plan plan =
        Plan.of(
            "tasks.md",
            List.of(
                PlanStep.of("1", "1. Write the notes", "", "1"),
                PlanStep.of("2", "2. Publish them", "", "2")),
            List.of());
    CycleState executing =
        new CycleState.Builder()
            .cycleId(cycleId)
            .project("notes")
            .instruction("execute-tasks")
            .spec(SPEC)
            .workspace(Workspace.atPath(workspace.toString()))
            .status(Status.EXECUTING)
            .phase(Phase.EXECUTE)
            .iteration(1)
            .createdAt(now)
            .updatedAt(now)
            .iterations(List.of(Iteration.first().withPlan(plan)))
            .build();
    store.create(executing);
    Handoff.forRole(nc, Phase.PLAN, MessageTracing.NONE).publish(executing);
    return Await.value(
        DONE,
        "cycle " + cycleId + " to leave EXECUTE",
        () -> {
          CycleState s = store.require(cycleId);
          return s.status() == Status.EXECUTING ? null : s;
        });
  }

  private static Path workspace(String name) throws Exception {
    Path workspace = Files.createDirectories(workspaces.resolve(name));
    Path tasks = workspace.resolve(SPEC).resolve("tasks.md");
    Files.createDirectories(tasks.getParent());
    Files.writeString(tasks, TASKS, StandardCharsets.UTF_8);
    return workspace;
  }

  /**
   * Answers each step of the full-store cycle with about 4 KiB, too long for the state (its
   * transcript is stored), and the others' briefly.
   */
  private static final class TalkativeAgent implements AgentBackend {
    @Override
    public AgentResult call(AgentRequest request) {
      String key =
          request.environment().get(AgentRequest.CYCLE_ID)
              + "/"
              + request.environment().get(AgentRequest.STEP_ID);
      calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      String text = (key.contains("fullstore") ? "working…\n".repeat(400) : "") + "step done.";
      return new AgentResult(text, 0, Usage.ZERO, "talkative");
    }

    @Override
    public String describe() {
      return "talkative";
    }
  }
}
