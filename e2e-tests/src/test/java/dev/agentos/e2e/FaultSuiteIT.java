package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.Await;
import dev.agentos.testing.GitRemote;
import dev.agentos.testing.RandomBodies;
import dev.agentos.testing.ServiceProcess;
import dev.agentos.worker.Artifacts;
import dev.agentos.worker.FaultPoints;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite: real nats-server and real service processes, SIGKILLed, halted between a commit
 * and its hand-off, cut off from NATS, fed poison and storms. One cluster serves every test (a
 * cluster start is the most expensive thing here); the tests run in order and each leaves the
 * cluster whole: every service it killed is running again.
 *
 * <p>The cluster runs with a short AckWait (4 s, so a dead worker's message comes back fast), a
 * reconcile sweep every second, {@code fault-agent.sh} as the executor's agent, and the test hook
 * {@code agentos-fault.phase-delay} holding PLAN, EXPRESS and REVIEW for 1 s each, so that a kill
 * can land in the middle of phases that otherwise take milliseconds.
 *
 * <p>Cycles of parallel steps work in repositories on a {@link GitRemote} ({@code git daemon}) with
 * {@code parallel-agent.sh}, offered as the profile {@value #PARALLEL_PROFILE}: only a git
 * workspace runs steps side by side.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
  static final Duration DONE = Duration.ofSeconds(90);
  static final String ACK_WAIT = "4s";

  /** A cycle of seven steps on a git remote: slower than a path workspace's, on a loaded host. */
  static final Duration PARALLEL_CYCLE = Duration.ofSeconds(180);

  /** agentos.worker.max-deliver as the services run with it (the default). */
  static final int MAX_DELIVER = 5;

  private static Cluster cluster;
  private static GitRemote remote;
  private static ParallelAgent parallelAgent;

  /**
   * The profile that runs {@code parallel-agent.sh}, which logs its calls outside the workspace.
   */
  static final String PARALLEL_PROFILE = "parallel";

  /** The fault agent's modes the tests choose, each offered to submits as a profile. */
  static final List<List<String>> AGENT_MODES =
      List.of(
          List.of("ok", "2.5"),
          List.of("hold", "120"),
          List.of("ok", "1"),
          List.of("ok", "8"),
          List.of("fail", "0"),
          List.of("big", "0"),
          List.of("crash", "0"),
          List.of("ok", "1.0"),
          List.of("ok", "1.1"),
          List.of("ok", "1.2"),
          List.of("ok", "1.3"),
          List.of("ok", "1.4"),
          List.of("ok", "1.5"),
          List.of("ok", "1.6"),
          List.of("ok", "1.7"),
          List.of("ok", "1.8"),
          List.of("ok", "1.9"));

  @BeforeAll
  static void startCluster() throws Exception {
    remote = GitRemote.start();
    parallelAgent = ParallelAgent.on(remote);
    Map<String, String> properties = new LinkedHashMap<>(ParallelAgent.allowing(remote));
    properties.put("agentos.worker.ack-wait", ACK_WAIT);
    properties.put("agentos.reconcile.interval", "1s");
    properties.put("agentos.agents.executor.command", agentCommand("ok", "0.3"));
    properties.put(FaultPoints.PHASE_DELAY, "plan:1s,express:1s,review:1s");
    for (List<String> mode : AGENT_MODES) {
      properties.put(
          "agentos.profiles." + profile(mode.get(0), mode.get(1)) + ".command",
          agentCommand(mode.get(0), mode.get(1)));
    }
    properties.put("agentos.profiles.missing.command", "/nonexistent/agentos-agent");
    properties.put("agentos.profiles." + PARALLEL_PROFILE + ".command", parallelAgent.command());
    cluster = Cluster.start(properties);
  }

  /**
   * Leaves the cluster whole for the next test even when this one failed half-way: NATS up, and
   * every service process running and ready.
   */
  @AfterEach
  void restoreCluster() {
    if (!cluster.nats.process().isAlive()) {
      cluster.nats.process().restart();
    }
    cluster.restoreSettings();
    for (ServiceProcess service : cluster.services().values()) {
      if (!service.isAlive()) {
        service.restart();
      }
    }
    for (ServiceProcess service : cluster.services().values()) {
      service.awaitReady(Cluster.READY);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    System.out.println("---- measured time-to-resume after SIGKILL ----");
    Kills.MEASURED.forEach(System.out::println);
    Cluster.closeAll(cluster, remote);
  }

  // ---- bad input --------------------------------------------------------------------------------

  @Test
  @Order(5)
  void badInputOnEveryEndpointGetsAClearErrorAndChangesNothing() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    List<String> before = cluster.store.cycleIds();
    long workBefore = workMessages();
    int requests = 0;
    for (String endpoint : ApiFuzz.ENDPOINTS) {
      for (String body : ApiFuzz.namedCases()) {
        byte[] bytes = body.replace("WS", workspace.toString()).getBytes(StandardCharsets.UTF_8);
        assertClientError(
            endpoint, bytes, cluster.nc.request(Topology.apiSubject(endpoint), bytes));
        requests++;
      }
      Message unknown =
          cluster.request(
              Topology.apiSubject(endpoint),
              switch (endpoint) {
                case "approve" -> "{\"cycle_id\":\"20990101-000000-nope\",\"approved\":true}";
                case "answer" -> "{\"cycle_id\":\"20990101-000000-nope\",\"answer\":\"EUR\"}";
                default -> "{\"cycle_id\":\"20990101-000000-nope\"}";
              });
      if (!endpoint.equals("list") && !endpoint.equals("submit")) {
        assertEquals(
            "NOT_FOUND",
            Json.tree(unknown.getData()).path("error").path("code").asText(),
            endpoint);
      }
    }

    long seed = Long.getLong("agentos.fuzz.seed", System.nanoTime());
    System.out.println("API fuzz: seed " + seed + " (rerun with -Dagentos.fuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    for (int batch = 0; batch < 50; batch++) {
      List<String> endpoints = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      List<CompletableFuture<Message>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String endpoint = ApiFuzz.ENDPOINTS.get(random.nextInt(ApiFuzz.ENDPOINTS.size()));
        byte[] body = RandomBodies.next(random);
        endpoints.add(endpoint);
        bodies.add(body);
        replies.add(cluster.nc.request(Topology.apiSubject(endpoint), body));
      }
      for (int i = 0; i < replies.size(); i++) {
        assertClientError(endpoints.get(i), bodies.get(i), replies.get(i));
        requests++;
      }
      // Routed-enqueue subjects take no reply; junk there must be dropped, not crash a role.
      cluster.nc.publish(
          Topology.enqueueSubject(Phase.values()[batch % 4]), RandomBodies.next(random));
    }
    System.out.printf("API fuzz: %d bad requests, each answered with a client error%n", requests);

    assertEquals(before, cluster.store.cycleIds(), "no cycle was written");
    assertEquals(workBefore, workMessages(), "no work was enqueued");
    for (ServiceProcess service : cluster.services().values()) {
      assertEquals(200, service.healthStatus("ready"), service.name() + " is still up");
    }
  }

  // ---- exactly-once transitions ---------------------------------------------------------------

  @Test
  @Order(10)
  void crashBetweenCommitAndHandoffCompletesTheCycleOnce() throws Exception {
    ServiceProcess executor = cluster.service("executor");
    cluster.restartWith("executor", Map.of(FaultPoints.HALT_AFTER_COMMIT, "execute"));
    Path workspace = Workspaces.withSpec(2);
    String cycleId = submit(workspace, null);

    Await.until(DONE, "the executor to halt right after its commit", () -> !executor.isAlive());
    assertEquals(FaultPoints.HALT_STATUS, executor.exitStatus().orElseThrow());
    CycleState committed = cluster.state(cycleId);
    assertEquals(Status.EXPRESSING, committed.status(), "the commit was written");
    assertNull(committed.lease());
    ConsumerInfo express =
        cluster.nc.jetStreamManagement().getConsumerInfo(Topology.WORK_STREAM, "express");
    assertEquals(
        0, express.getNumPending() + express.getNumAckPending(), "the hand-off was never sent");

    long restartedAt = System.nanoTime();
    cluster.restartWith("executor", Map.of());
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);
    System.out.printf(
        "halt after commit: hand-off re-sent and cycle completed %d ms after the restart%n",
        Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());

    AgentCalls calls = AgentCalls.of(workspace);
    assertEquals(List.of(), calls.violations(done));
    assertEquals(2, calls.startCount(), "each step ran once: " + calls);
    Map<Phase, Integer> claims = claimsByPhase(cycleId);
    assertEquals(1, claims.get(Phase.EXPRESS), "EXPRESS ran once: " + claims);
    assertEquals(1, claims.get(Phase.REVIEW), "REVIEW ran once: " + claims);
  }

  // ---- at-least-once steps with checkpoints ---------------------------------------------------

  @Test
  @Order(20)
  void killedExecutorResumesAtTheStepInFlightAfterRestart() throws Exception {
    ServiceProcess executor = cluster.service("executor");
    Path workspace = Workspaces.withSpec(3);
    String cycleId = submit(workspace, agentOptions("ok", "2.5"));
    awaitStepStarted(workspace, "2");

    Kills.killAndMeasure(cluster, executor, true, "single executor, step 2 of 3 in flight");
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);

    AgentCalls calls = AgentCalls.of(workspace);
    assertEquals(List.of(), calls.violations(done));
    assertEquals(1, calls.starts("1").size(), "step 1 was checkpointed and not run again");
    List<AgentCalls.Call> step2 = calls.starts("2");
    assertEquals(2, step2.size(), "the step in flight ran again: " + step2);
    assertTrue(step2.get(1).retry(), "the agent was told it is a retry (prompt)");
    assertEquals(2, step2.get(1).attempt(), "AGENTOS_ATTEMPT says 2");
    assertEquals(1, calls.starts("3").size());
    allStepsCompleted(done, 3);
    executor.awaitReady(Cluster.READY);
  }

  @Test
  @Order(30)
  void killedExecutorReplicaIsTakenOverByTheOther() throws Exception {
    cluster.addReplica("executor", "executor-2");
    Path workspace = Workspaces.withSpec(3);
    String cycleId = submit(workspace, agentOptions("ok", "2.5"));
    awaitStepStarted(workspace, "2");
    ServiceProcess holder =
        Await.value(
            DONE,
            "the executor that runs the cycle",
            () -> Kills.holderOf(cluster, cycleId).orElse(null));

    Kills.killAndMeasure(cluster, holder, false, "two executor replicas, step 2 of 3 in flight");
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);
    holder.restart();

    AgentCalls calls = AgentCalls.of(workspace);
    assertEquals(List.of(), calls.violations(done));
    assertEquals(1, calls.starts("1").size());
    assertEquals(2, calls.starts("2").size(), "only the step in flight ran again");
    allStepsCompleted(done, 3);
    holder.awaitReady(Cluster.READY);
  }

  @Test
  @Order(35)
  void aPausedWorkerWhoseLeaseWasTakenKillsItsAgentWhenItWakesAndWritesNothing() throws Exception {
    if (cluster.service("executor-2") == null) {
      cluster.addReplica("executor", "executor-2");
    }
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, agentOptions("hold", "120"));
    awaitStepStarted(workspace, "1");
    ServiceProcess holder =
        Await.value(
            DONE,
            "the executor that runs the cycle",
            () -> Kills.holderOf(cluster, cycleId).orElse(null));
    long firstAgent = agentPid(workspace, cycleId, "1", 1);

    // Frozen longer than AckWait: its heartbeats stop, the message comes back, the other replica
    // takes the expired lease over and runs the step again. The frozen JVM's agent still runs.
    Kills.signal(holder.pid(), "STOP");
    try {
      Await.until(
          DONE,
          "the other executor to start step 1 again",
          () -> unchecked(() -> AgentCalls.of(workspace)).starts("1").size() == 2);
      assertTrue(ProcessHandle.of(firstAgent).map(ProcessHandle::isAlive).orElse(false));
    } finally {
      Kills.signal(holder.pid(), "CONT");
    }
    long woke = System.nanoTime();
    Duration renewal = Duration.parse("PT" + ACK_WAIT).dividedBy(3);
    Await.until(
        renewal.plusSeconds(2),
        "the woken executor to kill its agent (pid " + firstAgent + ")",
        () -> ProcessHandle.of(firstAgent).map(p -> !p.isAlive()).orElse(true));
    Duration killedAfter = Duration.ofNanos(System.nanoTime() - woke);
    Kills.MEASURED.add(
        "lost lease: agent killed "
            + killedAfter.toMillis()
            + " ms after its worker woke"
            + " (renewal interval "
            + renewal.toMillis()
            + " ms)");

    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);
    AgentCalls calls = AgentCalls.of(workspace);
    assertEquals(List.of(), calls.violations(done));
    assertEquals(
        List.of("start"),
        calls.calls().stream().filter(c -> c.attempt() == 1).map(AgentCalls.Call::event).toList(),
        "the first agent never finished");
    StepRecord step = done.currentIteration().executionOrEmpty().steps().get(0);
    assertEquals(StepStatus.COMPLETED, step.status());
    assertEquals(2, step.attempts());
    assertEquals(
        1,
        events(cycleId).stream().filter(e -> e.type().equals("step_finished")).count(),
        "the step's work was recorded once");
    // Whichever the woken worker notices first: its renew deadline long past, or the lease taken.
    assertTrue(
        Files.readString(holder.log()).contains("stopping the agent"),
        "the woken worker says why it stopped");
    holder.awaitReady(Cluster.READY);
  }

  /** The pid {@code fault-agent.sh} wrote for an attempt of a step. */
  static long agentPid(Path workspace, String cycleId, String stepId, int attempt) {
    Path file = workspace.resolve(".agent-pids").resolve(cycleId + "-" + stepId + "-" + attempt);
    return Await.value(
        DONE,
        "the pid of step " + stepId + " attempt " + attempt,
        () ->
            unchecked(
                () ->
                    Files.exists(file) && !Files.readString(file).isBlank()
                        ? Long.parseLong(Files.readString(file).trim())
                        : null));
  }

  @Test
  @Order(40)
  void everyOtherRoleKilledMidPhaseStillCompletesTheCycle() throws Exception {
    for (String role : List.of("planner", "express", "review")) {
      Phase phase = Phase.ofRole(role);
      ServiceProcess service = cluster.service(role);
      Path workspace = Workspaces.withSpec(1);
      String cycleId = submit(workspace, null);
      Await.until(
          DONE,
          role + " to hold cycle " + cycleId + " mid-phase",
          () -> {
            CycleState s = cluster.state(cycleId);
            return s.phase() == phase
                && s.status() == phase.runningStatus()
                && s.lease() != null
                && s.lease().isHeldByProcess(service.pid());
          });
      Kills.killAndMeasure(cluster, service, true, role + " mid-phase");
      CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);
      assertEquals(List.of(), AgentCalls.of(workspace).violations(done), role);
      assertEquals(1, AgentCalls.of(workspace).startCount(), role + ": the step ran once");
      service.awaitReady(Cluster.READY);
    }
  }

  // ---- no stuck cycles ------------------------------------------------------------------------

  @Test
  @Order(50)
  void reconcilerReenqueuesACycleWhoseWorkMessageWasLost() throws Exception {
    List<ServiceProcess> executors = executors();
    executors.forEach(ServiceProcess::kill);
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, null);
    cluster.awaitStatus(cycleId, Status.EXECUTING, DONE);
    long sequence =
        Await.value(
            DONE,
            "the EXECUTE message in the work stream",
            () -> workSequence(cycleId, Topology.workSubject(Phase.EXECUTE)));
    assertTrue(
        cluster.nc.jetStreamManagement().deleteMessage(Topology.WORK_STREAM, sequence),
        "the work message is deleted: the hand-off is lost");
    assertEquals(null, workSequence(cycleId));

    long lostAt = System.nanoTime();
    executors.forEach(ServiceProcess::restart);
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);
    System.out.printf(
        "lost work message: reconciler re-enqueued and cycle completed %d ms after the loss%n",
        Duration.ofNanos(System.nanoTime() - lostAt).toMillis());
    assertTrue(done.requeues() >= 1, "re-enqueued, with a fresh message id");
    assertTrue(eventTypes(cycleId).contains(EventType.REQUEUED));
    executors.forEach(e -> e.awaitReady(Cluster.READY));
  }

  // ---- NATS outage ----------------------------------------------------------------------------

  @Test
  @Order(60)
  void cyclesInFlightCompleteAcrossANatsServerRestart() throws Exception {
    List<Path> workspaces = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path workspace = Workspaces.withSpec(3);
      workspaces.add(workspace);
      ids.add(submit(workspace, agentOptions("ok", "1")));
    }
    for (Path workspace : workspaces) {
      awaitStepStarted(workspace, "1");
    }
    long killedAt = System.nanoTime();
    cluster.nats.process().kill();
    Await.until(
        Duration.ofSeconds(30),
        "every service to report not ready while NATS is down",
        () -> cluster.services().values().stream().allMatch(s -> s.healthStatus("ready") != 200));
    assertTrue(
        cluster.services().values().stream().allMatch(s -> s.healthStatus("live") == 200),
        "liveness stays UP while reconnecting");
    cluster.nats.process().restart();
    Await.until(
        Duration.ofSeconds(60),
        "every service to be ready again",
        () -> cluster.services().values().stream().allMatch(s -> s.healthStatus("ready") == 200));
    System.out.printf(
        "nats-server restart: services ready again %d ms after the kill%n",
        Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
    for (int i = 0; i < ids.size(); i++) {
      CycleState done = cluster.awaitStatus(ids.get(i), Status.COMPLETED, DONE);
      assertEquals(List.of(), AgentCalls.of(workspaces.get(i)).violations(done));
      allStepsCompleted(done, 3);
    }
  }

  // ---- chaos ----------------------------------------------------------------------------------

  @Test
  @Order(70)
  void twentyCyclesSurviveRandomKillsOfRandomRoles() throws Exception {
    long seed = Long.getLong("agentos.fault.seed", System.nanoTime());
    System.out.println(
        "random kills: seed " + seed + " (rerun with -Dagentos.fault.seed=" + seed + ")");
    Random random = new Random(seed);
    Map<String, Path> cycles = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      Path workspace = Workspaces.withSpec(3);
      String delay = String.valueOf(1 + random.nextInt(10) / 10.0);
      cycles.put(submit(workspace, agentOptions("ok", delay)), workspace);
    }
    int kills = 0;
    while (kills < 6 && !allFinal(cycles.keySet())) {
      // A random process among those working on a cycle right now (any process if none is).
      // Not one whose cycle has used up all but one start of its phase: a phase killed
      // max-deliver times rightly ends FAILED (aStepThatKillsItsWorkerEveryTimeEndsFailedInTheDlq
      // proves it),
      // and this test is about cycles that survive.
      // Every process ready first: a restarted one claims work while it gets ready, so a choice
      // made before that wait could fall on a process that has just claimed a cycle at its last
      // start.
      for (ServiceProcess service : cluster.services().values()) {
        service.awaitReady(Cluster.READY);
      }
      List<ServiceProcess> busy =
          cluster.services().values().stream()
              .filter(p -> p.isAlive() && !Kills.leasedBy(cluster, p).isEmpty())
              .filter(
                  p ->
                      Kills.leasedBy(cluster, p).stream()
                          .allMatch(c -> c.attempts() < MAX_DELIVER - 1))
              .toList();
      List<ServiceProcess> pool = busy.isEmpty() ? List.copyOf(cluster.services().values()) : busy;
      ServiceProcess victim = pool.get(random.nextInt(pool.size()));
      Kills.killAndMeasure(cluster, victim, true, "random kill #" + (++kills));
    }
    Map<String, Status> outcome = new LinkedHashMap<>();
    for (Map.Entry<String, Path> cycle : cycles.entrySet()) {
      CycleState done = cluster.awaitStatus(cycle.getKey(), Status.COMPLETED, DONE);
      outcome.put(cycle.getKey(), done.status());
      assertEquals(
          List.of(), AgentCalls.of(cycle.getValue()).violations(done), "cycle " + cycle.getKey());
      allStepsCompleted(done, 3);
    }
    long retried =
        cycles.values().stream()
            .mapToLong(w -> unchecked(() -> AgentCalls.of(w)).retriedSteps().size())
            .sum();
    System.out.printf(
        "random kills: %d kills, %d/20 completed, 0 lost, 0 completed steps run twice, %d step(s) in"
            + " flight retried%n",
        kills, outcome.size(), retried);
    assertEquals(20, outcome.size());
    for (ServiceProcess service : cluster.services().values()) {
      service.awaitReady(Cluster.READY);
    }
  }

  // ---- failing agents and dead letters --------------------------------------------------------

  @Test
  @Order(80)
  void anAgentThatAlwaysFailsEndsTheCycleFailedWithTheReason() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, agentOptions("fail", "0") + ",\"max_iterations\":1");
    CycleState failed = awaitFinal(cycleId);
    assertEquals(Status.FAILED, failed.status(), "" + failed.error());
    assertNotNull(failed.error());
    assertEquals(Phase.REVIEW, failed.error().phase());
    assertNull(failed.lease(), "nothing holds the cycle");
    StepRecord step = failed.currentIteration().executionOrEmpty().steps().get(0);
    assertEquals(StepStatus.FAILED, step.status());
    assertTrue(step.summary().contains("always fails"), step.summary());
    assertEquals(2, AgentCalls.of(workspace).startCount(), "the step was retried in-process once");
  }

  @Test
  @Order(90)
  void anAgentThatCannotStartIsRetriedWithBackoffThenDeadLettered() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String cycleId =
        submit(workspace, "\"agents\":{\"executor\":\"missing\"}," + "\"max_iterations\":1");
    CycleState failed = awaitFinal(cycleId);
    assertEquals(Status.FAILED, failed.status());
    assertEquals(ErrorCode.AGENT_UNAVAILABLE, failed.error().code());
    assertEquals(Phase.EXECUTE, failed.error().phase());
    assertTrue(
        failed.error().message().contains("/nonexistent/agentos-agent"), failed.error().message());
    assertNull(failed.lease());
    Message parked = Await.value(DONE, "the message in the DLQ", () -> deadLetter(cycleId));
    assertTrue(parked.getHeaders().getFirst(DeadLetters.REASON).contains("AGENT_UNAVAILABLE"));
    assertNull(workSequence(cycleId), "no work message left for the cycle");
    long retries = eventTypes(cycleId).stream().filter(EventType.RETRYING::equals).count();
    assertEquals(4, retries, "started 5 times (agentos.worker.max-deliver), retried 4 times");
  }

  // ---- the control API under concurrent calls -------------------------------------------------

  @Test
  @Order(100)
  void concurrentSteeringCallsHaveExactlyOneWinnerPerRound() throws Exception {
    // Round 1: approve and reject storm at the after-plan gate.
    Path gated = Workspaces.withSpec(1);
    String gatedId = submit(gated, "\"approvals\":{\"after_plan\":true}");
    cluster.awaitStatus(gatedId, Status.AWAITING_APPROVAL, DONE);
    List<String> approvals = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      approvals.add(
          i % 2 == 0
              ? "{\"cycle_id\":\"" + gatedId + "\",\"approved\":true}"
              : "{\"cycle_id\":\""
                  + gatedId
                  + "\",\"approved\":false,\"comment\":\"no "
                  + i
                  + "\"}");
    }
    List<JsonNode> round1 = storm("approve", approvals);
    assertOneWinner(round1, "approve/reject storm");
    CycleState afterGate = cluster.state(gatedId);
    assertTrue(
        afterGate.status() == Status.EXECUTING
            || afterGate.status() == Status.EXPRESSING
            || afterGate.status() == Status.COMPLETED
            || afterGate.iteration() == 2,
        "approved or rejected once: " + afterGate.status() + " iteration " + afterGate.iteration());
    assertNull(afterGate.approval());
    cluster.requestJson(Topology.apiSubject("cancel"), "{\"cycle_id\":\"" + gatedId + "\"}");

    // Round 2: cancel and resume storm on a running cycle: one cancel wins, no resume can. The
    // worker notices the cancel at its next heartbeat and stops the agent in the middle of its
    // 8-second step.
    Path running = Workspaces.withSpec(3);
    String runningId = submit(running, agentOptions("ok", "8"));
    awaitStepStarted(running, "1");
    List<String> steering = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      endpoints.add(i % 2 == 0 ? "cancel" : "resume");
      steering.add("{\"cycle_id\":\"" + runningId + "\"}");
    }
    long cancelledAt = System.nanoTime();
    List<JsonNode> round2 = storm(endpoints, steering);
    assertOneWinner(round2, "cancel/resume storm");
    for (int i = 0; i < round2.size(); i++) {
      if (endpoints.get(i).equals("resume")) {
        assertTrue(round2.get(i).has("error"), "resume of a running cycle is refused");
      }
    }
    assertEquals(Status.CANCELLED, cluster.state(runningId).status());
    Await.until(
        Duration.ofSeconds(5),
        "the executor to stop the cancelled cycle's step well before its 8 s are up",
        () -> executorAckPending() == 0);
    System.out.printf(
        "cancel: the running agent was stopped %d ms after the cancel%n",
        Duration.ofNanos(System.nanoTime() - cancelledAt).toMillis());
    AgentCalls afterCancel = AgentCalls.of(running);
    assertEquals(1, afterCancel.startCount(), "no step started after the cancel: " + afterCancel);
    assertTrue(
        afterCancel.calls().stream().noneMatch(c -> c.event().equals("done")),
        "the step in flight was stopped, not finished: " + afterCancel);
    assertEquals(Status.CANCELLED, cluster.state(runningId).status(), "cancel wins for good");

    // Round 3: resume and retry storm on a FAILED cycle: exactly one call re-runs it. (No cancel
    // here: once a resume has won, the cycle runs again, and cancelling that is a legal second
    // win.)
    Path failing = Workspaces.withSpec(1);
    String failedId = submit(failing, agentOptions("fail", "0") + ",\"max_iterations\":1");
    assertEquals(Status.FAILED, awaitFinal(failedId).status());
    List<String> again = new ArrayList<>();
    List<String> againEndpoints = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      againEndpoints.add(i % 2 == 0 ? "retry" : "resume");
      again.add("{\"cycle_id\":\"" + failedId + "\",\"budget\":{\"tokens\":1000000}}");
    }
    List<JsonNode> round3 = storm(againEndpoints, again);
    assertOneWinner(round3, "resume/retry/cancel storm on a FAILED cycle");
    CycleState rerun = cluster.state(failedId);
    assertTrue(
        rerun.status() != Status.FAILED || rerun.error() != null, "re-run once: " + rerun.status());
    assertEquals(1_000_000L, rerun.optionsOrDefaults().budgetOrUnlimited().tokens());
    awaitFinal(failedId);
  }

  // ---- large outputs --------------------------------------------------------------------------

  @Test
  @Order(110)
  void aOneMegabyteTranscriptGoesToTheObjectStoreAndStateStaysSmall() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, agentOptions("big", "0"));
    CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, DONE);
    StepRecord step = done.currentIteration().executionOrEmpty().steps().get(0);
    assertNotNull(step.artifact(), "the transcript is an artifact");
    assertTrue(step.artifact().size() > 1_000_000, "about 1 MB: " + step.artifact().size());
    byte[] stored =
        cluster.nc.keyValue(Topology.CYCLES_BUCKET).get(Topology.cycleKey(cycleId)).getValue();
    System.out.printf(
        "large output: transcript %d bytes in the object store, cycle state %d bytes in KV%n",
        step.artifact().size(), stored.length);
    assertTrue(stored.length < 64 * 1024, "state stays under 64 KiB: " + stored.length);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    cluster.nc.objectStore(Topology.ARTIFACTS_STORE).get(step.artifact().artifact(), content);
    assertEquals(step.artifact().size(), content.size());
    assertEquals(step.artifact().sha256(), Artifacts.sha256(content.toByteArray()));
  }

  // ---- poison: a worker that dies on every delivery -------------------------------------------

  @Test
  @Order(120)
  void aStepThatKillsItsWorkerEveryTimeEndsFailedInTheDlq() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    String cycleId = submit(workspace, agentOptions("crash", "0") + ",\"max_iterations\":1");
    List<ServiceProcess> executors = executors();
    Await.until(
        Duration.ofSeconds(150),
        "cycle " + cycleId + " to fail while its executors keep dying",
        () -> {
          for (ServiceProcess executor : executors) {
            if (!executor.isAlive()) {
              executor.restart(); // a supervisor (Kubernetes) restarts what dies
            }
          }
          return cluster.state(cycleId).status().isFinal();
        });
    CycleState failed = cluster.state(cycleId);
    assertEquals(Status.FAILED, failed.status());
    assertEquals(ErrorCode.MAX_DELIVER_EXHAUSTED, failed.error().code(), failed.error().message());
    assertEquals(Phase.EXECUTE, failed.error().phase());
    assertNull(failed.lease(), "nothing holds the cycle");
    Await.value(DONE, "the message in the DLQ", () -> deadLetter(cycleId));
    Await.until(DONE, "no work message left for the cycle", () -> workSequence(cycleId) == null);
    System.out.printf(
        "poison step: %d agent starts before the cycle failed: %s%n",
        AgentCalls.of(workspace).startCount(), failed.error().message());
    for (ServiceProcess executor : executors) {
      executor.awaitReady(Cluster.READY);
    }
  }

  // ---- parallel steps -------------------------------------------------------------------------

  @Test
  @Order(130)
  void aReplicaKilledWhileThreeParallelStepsRunLosesOnlyItsOwnStepAndNoCompletedStepRunsAgain()
      throws Exception {
    List<String> added = oneSlotExecutors(List.of("executor", "executor-2", "executor-3"));
    try {
      // Four seconds a step: long enough to kill a replica while its agent runs.
      parallelAgent.delaySeconds(4);
      String repo = parallelAgent.specKitRepo(6);
      String cycleId =
          parallelAgent.submit(
              cluster,
              repo,
              ParallelAgent.SPEC_KIT,
              "\"agents\":{\"executor\":\"" + PARALLEL_PROFILE + "\"}");
      Map<String, ServiceProcess> holders =
          Await.value(
              PARALLEL_CYCLE,
              "three steps of " + cycleId + " running, one on each executor replica",
              () -> {
                Map<String, ServiceProcess> running = runningStepHolders(cycleId);
                return running.size() == 3 && agentsRunning(cycleId, running.keySet())
                    ? running
                    : null;
              });
      assertEquals(3, Set.copyOf(holders.values()).size(), "one step per replica: " + holders);
      // Step 2 is the one Setup's worker went on with itself (it waits for Setup alone), under
      // Setup's work item and with no message of its own: the hardest step to lose.
      String killedStep = "2";
      ServiceProcess killed = holders.get(killedStep);
      assertTrue(killed != null, "Setup's worker runs step 2: " + holders);
      // The re-run and the steps still to start need not wait as long.
      parallelAgent.delaySeconds(1);
      Kills.killAndMeasure(
          cluster,
          killed,
          false,
          "three executor replicas running a step each, the one running step 2");
      CycleState done = cluster.awaitStatus(cycleId, Status.COMPLETED, PARALLEL_CYCLE);

      List<StepRecord> steps = done.currentIteration().execution().steps();
      assertEquals(7, steps.size(), "Setup and the six, none lost: " + steps);
      List<String> log = parallelAgent.callLines(cycleId);
      for (StepRecord step : steps) {
        assertEquals(StepStatus.COMPLETED, step.status(), step.toString());
        assertEquals(
            1, ParallelAgent.count(log, step.id(), "done"), "step " + step.id() + " finished once");
        // The killed replica's step ran again; every other step, the two the surviving replicas
        // held at the kill among them, ran once: nothing completed ran twice.
        assertEquals(
            step.id().equals(killedStep) ? 2 : 1,
            ParallelAgent.count(log, step.id(), "start"),
            "runs of step " + step.id() + ": " + log);
      }
      assertTrue(
          log.stream().anyMatch(l -> l.endsWith(" " + killedStep + " 2 start")),
          "the killed replica's step " + killedStep + " ran again as attempt 2: " + log);
    } finally {
      // The replicas the next tests know stay (restoreCluster restarts them with their own
      // settings); the ones this test added go.
      added.forEach(cluster::remove);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Every one of the executor replicas {@code names} running with one slot, so that each runs one
   * step at a time: those the cluster has are restarted so (restoreCluster gives them their own
   * settings back), the others added. Returns the names of those added.
   */
  static List<String> oneSlotExecutors(List<String> names) {
    Map<String, String> oneSlot = Map.of("agentos.worker.concurrency", "1");
    List<String> added = new ArrayList<>();
    for (String name : names) {
      if (cluster.service(name) == null) {
        cluster.addReplica("executor", name, oneSlot);
        added.add(name);
      } else {
        cluster.restartWith(name, oneSlot);
      }
    }
    return added;
  }

  /** The live executor replica that holds each RUNNING step of {@code cycleId}, by step id. */
  static Map<String, ServiceProcess> runningStepHolders(String cycleId) {
    Map<String, ServiceProcess> holders = new TreeMap<>();
    Instant now = Instant.now();
    for (StepRecord step : cluster.state(cycleId).currentIteration().executionOrEmpty().steps()) {
      if (step.status() != StepStatus.RUNNING
          || step.lease() == null
          || !step.lease().isLiveAt(now)) {
        continue;
      }
      executors().stream()
          .filter(e -> e.isAlive() && step.lease().isHeldByProcess(e.pid()))
          .findFirst()
          .ifPresent(e -> holders.put(step.id(), e));
    }
    return holders;
  }

  /** Whether the agent of each of {@code stepIds} has started and not yet finished. */
  static boolean agentsRunning(String cycleId, Set<String> stepIds) {
    List<String> log = parallelAgent.callLines(cycleId);
    return stepIds.stream()
        .allMatch(
            id ->
                ParallelAgent.count(log, id, "start") == 1
                    && ParallelAgent.count(log, id, "done") == 0);
  }

  static String agentCommand(String mode, String seconds) {
    return "bash " + Cluster.agentScript("fault-agent.sh") + " " + mode + " " + seconds;
  }

  /** The profile that runs {@code fault-agent.sh mode seconds}: {@code fault-ok-2_5}. */
  static String profile(String mode, String seconds) {
    return "fault-" + mode + "-" + seconds.replace('.', '_');
  }

  /**
   * The inside of an options object that gives the executor {@code fault-agent.sh mode seconds}, by
   * the profile {@link #startCluster} defined for it.
   */
  static String agentOptions(String mode, String seconds) {
    if (!AGENT_MODES.contains(List.of(mode, seconds))) {
      throw new IllegalArgumentException("add " + mode + " " + seconds + " to AGENT_MODES");
    }
    return "\"agents\":{\"executor\":\"" + profile(mode, seconds) + "\"}";
  }

  /** Submits a spec cycle; {@code options} is the inside of the options object, or null. */
  static String submit(Path workspace, String options) throws Exception {
    JsonNode reply =
        cluster.requestJson(
            Topology.apiSubject("submit"),
            Workspaces.submit(workspace, options == null ? null : "{" + options + "}"));
    String id = reply.path("cycle_id").asText();
    assertFalse(id.isBlank(), "submit failed: " + reply);
    return id;
  }

  static void awaitStepStarted(Path workspace, String stepId) {
    Await.until(
        DONE,
        "step " + stepId + " to start in " + workspace,
        () -> !unchecked(() -> AgentCalls.of(workspace)).starts(stepId).isEmpty());
  }

  static CycleState awaitFinal(String cycleId) {
    Await.until(
        DONE, "cycle " + cycleId + " to end", () -> cluster.state(cycleId).status().isFinal());
    return cluster.state(cycleId);
  }

  static boolean allFinal(Iterable<String> ids) {
    for (String id : ids) {
      if (!cluster.state(id).status().isFinal()) {
        return false;
      }
    }
    return true;
  }

  static void allStepsCompleted(CycleState done, int steps) {
    List<StepRecord> records = done.currentIteration().executionOrEmpty().steps();
    assertEquals(steps, records.size());
    for (StepRecord record : records) {
      assertEquals(StepStatus.COMPLETED, record.status(), done.cycleId() + " step " + record.id());
    }
  }

  static long workMessages() {
    return unchecked(
        () ->
            cluster
                .nc
                .jetStreamManagement()
                .getStreamInfo(Topology.WORK_STREAM)
                .getStreamState()
                .getMsgCount());
  }

  /** A reply to a bad request: a JSON error with a client code and a message, and its headers. */
  static void assertClientError(String endpoint, byte[] body, CompletableFuture<Message> pending)
      throws Exception {
    String shown = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
    Message reply;
    try {
      reply = pending.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(endpoint + " gave no reply to " + shown, e);
    }
    JsonNode json = Json.tree(reply.getData());
    if (endpoint.equals("list") && !json.has("error")) {
      return; // random bytes that happen to be a valid list request, such as {}
    }
    JsonNode error = json.path("error");
    assertTrue(
        ApiFuzz.CLIENT_ERRORS.contains(error.path("code").asText()),
        endpoint + " answered " + json + " to " + shown);
    assertFalse(error.path("message").asText().isBlank(), endpoint + ": the error says why");
    assertNotNull(reply.getHeaders(), endpoint + ": error headers");
    assertNotNull(reply.getHeaders().getFirst("Nats-Service-Error-Code"), endpoint);
  }

  static long executorAckPending() {
    return unchecked(
        () ->
            cluster
                .nc
                .jetStreamManagement()
                .getConsumerInfo(Topology.WORK_STREAM, "executor")
                .getNumAckPending());
  }

  static List<ServiceProcess> executors() {
    return cluster.services().entrySet().stream()
        .filter(e -> e.getKey().startsWith("executor"))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** The stream sequence of a work message for {@code cycleId} still in AGENTOS_WORK, or null. */
  static Long workSequence(String cycleId) {
    return workSequence(cycleId, null);
  }

  /** Like {@link #workSequence(String)}, for messages on {@code subject} only (null: any). */
  static Long workSequence(String cycleId, String subject) {
    try {
      StreamInfo info = cluster.nc.jetStreamManagement().getStreamInfo(Topology.WORK_STREAM);
      long first = info.getStreamState().getFirstSequence();
      long last = info.getStreamState().getLastSequence();
      for (long seq = first; seq <= last && info.getStreamState().getMsgCount() > 0; seq++) {
        try {
          MessageInfo m = cluster.nc.jetStreamManagement().getMessage(Topology.WORK_STREAM, seq);
          if ((subject == null || subject.equals(m.getSubject()))
              && Json.tree(m.getData()).path("cycle_id").asText().equals(cycleId)) {
            return seq;
          }
        } catch (JetStreamApiException gone) {
          // deleted or acked: not there
        }
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The DLQ message parked for {@code cycleId}, or null. */
  static Message deadLetter(String cycleId) {
    try {
      JetStreamSubscription sub =
          cluster
              .nc
              .jetStream()
              .subscribe(
                  Topology.DLQ_PREFIX + ">",
                  PullSubscribeOptions.builder().stream(Topology.DLQ_STREAM)
                      .configuration(
                          ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build())
                      .build());
      try {
        for (Message m : sub.fetch(1000, Duration.ofMillis(500))) {
          if (cycleId.equals(m.getHeaders().getFirst(DeadLetters.CYCLE_ID))) {
            return m;
          }
        }
        return null;
      } finally {
        sub.unsubscribe();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<CycleEvent> events(String cycleId) throws Exception {
    return cluster.events(cycleId);
  }

  /** The cycle's event types in order; an unknown wire value fails the test. */
  static List<EventType> eventTypes(String cycleId) throws Exception {
    return events(cycleId).stream().map(e -> EventType.of(e.type()).orElseThrow()).toList();
  }

  static Map<Phase, Integer> claimsByPhase(String cycleId) throws Exception {
    Map<Phase, Integer> claims = new HashMap<>();
    for (Phase phase : Phase.values()) {
      claims.put(phase, 0);
    }
    for (CycleEvent event : events(cycleId)) {
      if (EventType.CLAIMED.wire().equals(event.type())) {
        claims.merge(event.phase(), 1, Integer::sum);
      }
    }
    return claims;
  }

  static List<JsonNode> storm(String endpoint, List<String> bodies) throws Exception {
    return storm(bodies.stream().map(b -> endpoint).toList(), bodies);
  }

  /** Sends every request at once and returns the replies in order. */
  static List<JsonNode> storm(List<String> endpoints, List<String> bodies) throws Exception {
    List<CompletableFuture<Message>> replies = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      replies.add(
          cluster.nc.request(
              Topology.apiSubject(endpoints.get(i)),
              bodies.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    List<JsonNode> out = new ArrayList<>();
    for (CompletableFuture<Message> reply : replies) {
      out.add(Json.tree(reply.get(10, TimeUnit.SECONDS).getData()));
    }
    return out;
  }

  static void assertOneWinner(List<JsonNode> replies, String round) {
    long winners = replies.stream().filter(r -> !r.has("error")).count();
    assertEquals(1, winners, round + ": exactly one call wins: " + replies);
    for (JsonNode reply : replies) {
      if (reply.has("error")) {
        assertEquals(
            "INVALID_TRANSITION", reply.path("error").path("code").asText(), round + ": " + reply);
        assertFalse(reply.path("error").path("message").asText().isBlank());
      }
    }
  }

  interface Io<T> {
    T get() throws Exception;
  }

  static <T> T unchecked(Io<T> io) {
    try {
      return io.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unused")
  private static Instant now() {
    return Instant.now();
  }
}
