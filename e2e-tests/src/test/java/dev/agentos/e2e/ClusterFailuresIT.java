package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.testing.Await;
import dev.agentos.testing.NatsCluster;
import dev.agentos.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Node failures of a three-node NATS cluster under the four services, as production runs them:
 * every stream, bucket and store R3, each service given every node's URL. One cluster serves every
 * test, one failure after another (a cluster start is the expensive part); each test puts 20 cycles
 * of three 1-second steps in flight, breaks a node, and checks that every cycle completes, none is
 * lost, no completed step runs again (the agent's call log), and readiness says what happened. It
 * measures the stall: from the failure to the next committed cycle transition.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Part of every `mvn verify` (3-6 minutes); -Dagentos.cluster-failures=false leaves it out of a
// local run.
@DisabledIfSystemProperty(
    named = "agentos.cluster-failures",
    matches = "false",
    disabledReason = "left out with -Dagentos.cluster-failures=false")
class ClusterFailuresIT {
  static final int IN_FLIGHT = 20;
  static final int STEPS = 3;
  static final Duration DONE = Duration.ofSeconds(180);
  static final Duration RECOVERED = Duration.ofSeconds(90);

  /**
   * Longer than a NATS raft election timeout (4 to 9 s in nats-server 2.9) and than the services'
   * AckWait (6 s), so that the frozen node loses what it leads and its clients' leases expire.
   */
  static final Duration FROZEN = Duration.ofSeconds(12);

  static final String CYCLES_STREAM = "KV_" + Topology.CYCLES_BUCKET;

  /** Every stall and readiness figure measured, for the summary at the end. */
  static final List<String> MEASURED = Collections.synchronizedList(new ArrayList<>());

  private static Cluster cluster;
  private static NatsCluster nats;
  private static CommitWatch commits;

  @BeforeAll
  static void startCluster() throws Exception {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("agentos.agents.executor.command", FaultSuiteIT.agentCommand("ok", "1"));
    properties.put("agentos.worker.concurrency", "10");
    properties.put("agentos.worker.ack-wait", "6s");
    properties.put("agentos.reconcile.interval", "1s");
    cluster = Cluster.startOnNatsCluster(properties);
    nats = cluster.nats.cluster();
    commits = new CommitWatch(cluster.nc);
  }

  /** Every node running, healthy and current again, and every service ready, for the next test. */
  @AfterEach
  void restoreCluster() {
    for (NatsCluster.Node node : nats.nodes()) {
      if (!node.server().isAlive()) {
        node.server().restart();
      }
    }
    awaitNodesCurrent();
    for (ServiceProcess service : cluster.services().values()) {
      if (!service.isAlive()) {
        service.restart();
      }
      service.awaitReady(Cluster.READY);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    System.out.println("---- NATS cluster failures: measured ----");
    MEASURED.forEach(System.out::println);
    if (commits != null) {
      commits.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(10)
  void cyclesSurviveTheKillOfAFollower() throws Exception {
    NatsCluster.Node victim = follower();
    killAndRestart("SIGKILL of a follower (" + victim.name() + ")", victim);
  }

  @Test
  @Order(20)
  void cyclesSurviveTheKillOfTheMetaLeader() throws Exception {
    NatsCluster.Node victim =
        Await.value(RECOVERED, "the meta leader", () -> nats.metaLeader().orElse(null));
    killAndRestart("SIGKILL of the meta leader (" + victim.name() + ")", victim);
  }

  @Test
  @Order(30)
  void cyclesSurviveTheKillOfTheCyclesBucketLeader() throws Exception {
    NatsCluster.Node victim = leaderOf(CYCLES_STREAM);
    killAndRestart("SIGKILL of the " + CYCLES_STREAM + " leader (" + victim.name() + ")", victim);
  }

  @Test
  @Order(40)
  void cyclesSurviveTheKillOfTheWorkStreamLeader() throws Exception {
    String version = cluster.nc.getServerInfo().getVersion();
    Assumptions.assumeTrue(
        atLeast(version, 2, 10),
        "nats-server "
            + version
            + ": after the AGENTOS_WORK leader was killed, the executor's consumer (filtered to"
            + " agentos.work.execute) was delivered PLAN, EXPRESS and REVIEW messages and the"
            + " stream's replicas disagreed on its message count (seen with 2.9.10); run it on 2.10"
            + " or later");
    NatsCluster.Node victim = leaderOf(Topology.WORK_STREAM);
    killAndRestart(
        "SIGKILL of the " + Topology.WORK_STREAM + " leader (" + victim.name() + ")", victim);
  }

  @Test
  @Order(50)
  void cyclesSurviveANodeFrozenPastTheElectionTimeout() throws Exception {
    // The node the most services are connected to, so that readiness has something to show. After
    // the kills before, every service may well sit on the test's own node: the stall is then
    // measured by a watch of its own on another node, as the test's connection would hear nothing
    // from a frozen node until its pings fail (2 minutes).
    Map<String, NatsCluster.Node> connectedTo = connections();
    NatsCluster.Node victim =
        nats.nodes().stream()
            .max(
                java.util.Comparator.comparingLong(
                    n -> connectedTo.values().stream().filter(n::equals).count()))
            .orElseThrow();
    List<String> itsClients =
        connectedTo.entrySet().stream()
            .filter(e -> e.getValue().equals(victim))
            .map(Map.Entry::getKey)
            .toList();
    assertFalse(itsClients.isEmpty(), "some service is connected to " + victim.name());
    NatsCluster.Node watcher = nats.others(victim).get(0);
    String label = "SIGSTOP of " + victim.name() + " for " + FROZEN.toSeconds() + " s";
    keepWorkStreamLeaderOff(victim);

    Map<String, Path> batch = submitBatch();
    try (Connection elsewhere = Nats.connect(watcher.url());
        CommitWatch commitsElsewhere = new CommitWatch(elsewhere);
        ReadinessSampler readiness = new ReadinessSampler(cluster.services().values())) {
      // The fingerprints from the class's own watch, which has seen the batch; the writes after
      // the freeze read through the other node.
      CommitWatch.Mark frozen = commits.mark();
      Instant frozenAt = frozen.at();
      victim.server().freeze();
      try {
        Await.until(
            FROZEN.plusSeconds(30),
            "every service connected to the frozen node to say it is not ready, and "
                + FROZEN
                + " to pass",
            () ->
                readiness.notReadyMillis().keySet().containsAll(itsClients)
                    && Duration.between(frozenAt, Instant.now()).compareTo(FROZEN) >= 0);
      } finally {
        victim.server().thaw();
      }
      // Measured once the node is back, from the writes stored since the freeze: when the services
      // that carry the cycles in flight (the executor's, with every cycle in EXECUTE) sit on the
      // frozen node, nothing can move until it thaws or their pings give up, and a measurement
      // taken while frozen would wait for a thaw it holds back.
      Duration stall = commitsElsewhere.stallAfter(frozen, RECOVERED);
      MEASURED.add(label + ": stall " + stall.toMillis() + " ms");
      nats.awaitHealthy(victim, RECOVERED);
      awaitNodesCurrent();
      awaitAllReady();
      MEASURED.add(label + ": not ready (ms, by service) " + readiness.notReadyMillis());
    }
    awaitBatchDone(label, batch);
  }

  @Test
  @Order(60)
  void cyclesSurviveARollingRestartOfAllThreeNodes() throws Exception {
    Map<String, Path> batch = new LinkedHashMap<>();
    try (ReadinessSampler readiness = new ReadinessSampler(cluster.services().values())) {
      for (NatsCluster.Node node : nats.nodes()) {
        // A batch of its own for each node, so that cycles are in flight when it goes down: one
        // batch can end before the third node's turn, and then no commit could follow its restart.
        batch.putAll(submitBatch());
        CommitWatch.Mark stopped = commits.mark();
        Instant stoppedAt = stopped.at();
        // As a Helm upgrade does: SIGTERM, the pod back, and the next only once it is current.
        node.server().restartGracefully();
        Duration stall = commits.stallAfter(stopped, RECOVERED);
        nats.awaitHealthy(node, RECOVERED);
        awaitNodesCurrent();
        MEASURED.add(
            "rolling restart, "
                + node.name()
                + ": stall "
                + stall.toMillis()
                + " ms, node back and current "
                + Duration.between(stoppedAt, Instant.now()).toMillis()
                + " ms after its SIGTERM");
      }
      awaitAllReady();
      MEASURED.add("rolling restart: not ready (ms, by service) " + readiness.notReadyMillis());
    }
    awaitBatchDone("rolling restart", batch);
  }

  /** Whether a server version such as {@code 2.9.10} is at least {@code major.minor}. */
  static boolean atLeast(String version, int major, int minor) {
    String[] parts = version.split("[.-]");
    int maj = Integer.parseInt(parts[0]);
    int min = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    return maj > major || (maj == major && min >= minor);
  }

  // ---- the scenario every kill shares ---------------------------------------------------------

  /**
   * Puts a batch in flight, SIGKILLs {@code victim}, measures the stall, checks that the services
   * that were connected to it reconnect to another node and are ready, restarts it, and waits for
   * the batch.
   */
  private void killAndRestart(String label, NatsCluster.Node victim) throws Exception {
    keepWorkStreamLeaderOff(victim);
    Map<String, NatsCluster.Node> connectedTo = connections();
    Map<String, Path> batch = submitBatch();
    try (ReadinessSampler readiness = new ReadinessSampler(cluster.services().values())) {
      CommitWatch.Mark killed = commits.mark();
      victim.server().kill();
      Duration stall = commits.stallAfter(killed, RECOVERED);
      MEASURED.add(label + ": stall " + stall.toMillis() + " ms");
      for (Map.Entry<String, NatsCluster.Node> client : connectedTo.entrySet()) {
        if (client.getValue().equals(victim)) {
          ServiceProcess service = cluster.service(client.getKey());
          Await.until(
              RECOVERED,
              service.name() + " to be ready on another node than " + victim.name(),
              () ->
                  ReadinessSampler.connectedServer(service)
                      .flatMap(nats::nodeAt)
                      .filter(n -> !n.equals(victim))
                      .isPresent());
        }
      }
      victim.server().restart();
      nats.awaitHealthy(victim, RECOVERED);
      awaitNodesCurrent();
      awaitAllReady();
      MEASURED.add(label + ": not ready (ms, by service) " + readiness.notReadyMillis());
    }
    awaitBatchDone(label, batch);
  }

  /** Submits {@link #IN_FLIGHT} cycles and waits until their steps run. */
  private static Map<String, Path> submitBatch() throws Exception {
    Map<String, Path> batch = new LinkedHashMap<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      Path workspace = Workspaces.withSpec(STEPS);
      JsonNode reply =
          cluster.requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, null));
      String id = reply.path("cycle_id").asText();
      assertFalse(id.isBlank(), "submit failed: " + reply);
      batch.put(id, workspace);
    }
    Await.until(
        DONE,
        "a quarter of the batch to be running its steps",
        () ->
            batch.values().stream()
                    .filter(w -> FaultSuiteIT.unchecked(() -> AgentCalls.of(w)).startCount() > 0)
                    .count()
                >= IN_FLIGHT / 4);
    return batch;
  }

  /** Every cycle of the batch COMPLETED with every step once, and none re-run once completed. */
  private static void awaitBatchDone(String label, Map<String, Path> batch) throws Exception {
    Await.until(
        DONE,
        label + ": every cycle of the batch to end (logs: " + cluster.logDir + ")",
        () -> batch.keySet().stream().allMatch(id -> cluster.state(id).status().isFinal()));
    long retried = 0;
    for (Map.Entry<String, Path> cycle : batch.entrySet()) {
      CycleState done =
          cluster.awaitStatus(cycle.getKey(), Status.COMPLETED, Duration.ofSeconds(1));
      // A second iteration would run the steps again by design: only a REVISE verdict starts one,
      // and none of these cycles has a reason for it.
      assertEquals(
          1,
          done.iterations().size(),
          label
              + ": cycle "
              + cycle.getKey()
              + " needed another iteration; the first review said "
              + Json.mapper().valueToTree(done.iterations().get(0).review()));
      AgentCalls calls = AgentCalls.of(cycle.getValue());
      assertEquals(List.of(), calls.violations(done), label + ": cycle " + cycle.getKey());
      List<StepRecord> steps = done.currentIteration().executionOrEmpty().steps();
      assertEquals(STEPS, steps.size(), label);
      for (StepRecord step : steps) {
        assertEquals(StepStatus.COMPLETED, step.status(), label + ": " + cycle.getKey());
      }
      retried += calls.retriedSteps().size();
    }
    MEASURED.add(
        String.format(
            "%s: %d/%d cycles completed, 0 lost, 0 completed steps re-run, %d step(s) in flight"
                + " retried",
            label, batch.size(), IN_FLIGHT, retried));
  }

  /** A node that leads neither the meta group nor the cycles bucket nor the work stream. */
  private static NatsCluster.Node follower() {
    awaitNodesCurrent();
    NatsCluster.Node meta =
        Await.value(RECOVERED, "the meta leader", () -> nats.metaLeader().orElse(null));
    NatsCluster.Node cycles = leaderOf(CYCLES_STREAM);
    NatsCluster.Node work = leaderOf(Topology.WORK_STREAM);
    List<NatsCluster.Node> candidates =
        nats.nodes().stream().filter(n -> !n.equals(meta) && !n.equals(cycles)).toList();
    return candidates.stream()
        .filter(n -> !n.equals(work))
        .findFirst()
        .orElse(candidates.isEmpty() ? nats.others(meta).get(0) : candidates.get(0));
  }

  /**
   * On a server older than 2.10, moves the leadership of {@code AGENTOS_WORK} away from the node a
   * scenario is about to kill or freeze: losing that leader breaks 2.9.10's work stream (the
   * scenario that kills it is skipped there, with the reason), and a node that happened to lead it
   * as well would hide what the scenario measures behind that known fault.
   */
  private static void keepWorkStreamLeaderOff(NatsCluster.Node victim) throws Exception {
    if (atLeast(cluster.nc.getServerInfo().getVersion(), 2, 10)
        || !leaderOf(Topology.WORK_STREAM).equals(victim)) {
      return;
    }
    cluster.nc.request(
        "$JS.API.STREAM.LEADER.STEPDOWN." + Topology.WORK_STREAM, null, Duration.ofSeconds(5));
    Await.until(
        RECOVERED,
        "a leader of " + Topology.WORK_STREAM + " other than " + victim.name(),
        () ->
            nats.streamLeader(cluster.nc, Topology.WORK_STREAM).filter(victim::equals).isEmpty()
                && nats.streamLeader(cluster.nc, Topology.WORK_STREAM).isPresent());
    awaitNodesCurrent();
  }

  private static NatsCluster.Node leaderOf(String stream) {
    return Await.value(
        RECOVERED,
        "the leader of " + stream,
        () -> nats.streamLeader(cluster.nc, stream).orElse(null));
  }

  /** Which node each service is connected to, from its readiness. */
  private static Map<String, NatsCluster.Node> connections() {
    awaitAllReady();
    Map<String, NatsCluster.Node> connected = new LinkedHashMap<>();
    for (ServiceProcess service : cluster.services().values()) {
      Optional<NatsCluster.Node> node =
          ReadinessSampler.connectedServer(service).flatMap(nats::nodeAt);
      node.ifPresent(n -> connected.put(service.name(), n));
    }
    return connected;
  }

  private static void awaitAllReady() {
    for (ServiceProcess service : cluster.services().values()) {
      service.awaitReady(RECOVERED);
    }
  }

  /** Every stream has a leader and all its replicas current: the next failure keeps a quorum. */
  private static void awaitNodesCurrent() {
    Await.until(
        RECOVERED,
        "every stream to have a leader and current replicas",
        () -> {
          List<String> streams =
              FaultSuiteIT.unchecked(() -> cluster.nc.jetStreamManagement().getStreamNames());
          assertTrue(streams.contains(Topology.WORK_STREAM), "streams: " + streams);
          return streams.stream().allMatch(s -> nats.streamCurrent(cluster.nc, s));
        });
  }
}
