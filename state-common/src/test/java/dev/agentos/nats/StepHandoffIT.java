package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.json.Json;
import dev.agentos.state.ClaimDecision;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.GitRef;
import dev.agentos.state.ParallelSteps;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Transitions;
import dev.agentos.state.Workspace;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Step work items of a parallel plan on a real work stream, deduplicated per step attempt. */
class StepHandoffIT {
  private static TopologyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = TopologyFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void publishesEachReadyStepOnceAndTheNextAfterItsDependencyCompleted() throws Exception {
    Handoff handoff = Handoff.unrestricted(fixture.nc());
    CycleState chains = twoChains();
    Instant now = CycleFixtures.at(12);

    assertEquals(List.of("A", "D"), stepIds(handoff.publishSteps(chains, 4, now)));
    handoff.publishSteps(chains, 4, now); // a second replica, or the reconciler, at once
    CycleState claimedA =
        ((ClaimDecision.Claimed)
                ParallelSteps.claim(chains, 1, "A", "w1", CycleFixtures.LEASE, 3, 4, now))
            .state();
    StepRecord running = ParallelSteps.requireOwner(claimedA, 1, "A", "w1");
    CycleState afterA =
        ParallelSteps.ended(
            claimedA,
            1,
            running.finished(StepStatus.COMPLETED, now, "done", null, null),
            "w1",
            now.plusSeconds(1));
    handoff.publishSteps(afterA, 4, now.plusSeconds(1));

    List<Message> queued = fetchAll();
    assertEquals(
        List.of(
            chains.cycleId() + ".1.execute.A",
            chains.cycleId() + ".1.execute.D",
            chains.cycleId() + ".1.execute.B"),
        queued.stream().map(m -> m.getHeaders().getFirst(Handoff.MSG_ID)).toList());
    WorkMessage b = Json.read(queued.get(2).getData(), WorkMessage.class);
    assertEquals("B", b.stepId());
  }

  private static List<String> stepIds(List<WorkMessage> sent) {
    return sent.stream().map(WorkMessage::stepId).toList();
  }

  private static List<Message> fetchAll() throws Exception {
    JetStreamSubscription sub =
        fixture
            .nc()
            .jetStream()
            .subscribe(
                Topology.workSubject(Phase.EXECUTE),
                PullSubscribeOptions.bind(Topology.WORK_STREAM, Phase.EXECUTE.role()));
    List<Message> all = new ArrayList<>();
    for (Message m : sub.fetch(10, Duration.ofSeconds(2))) {
      all.add(m);
    }
    return all;
  }

  private static CycleState twoChains() {
    List<PlanStep> steps =
        List.of(
            step("A"), step("B", "A"), step("C", "B"), step("D"), step("E", "D"), step("F", "E"));
    CycleState planning =
        CycleFixtures.planning().toBuilder()
            .workspace(new Workspace(null, new GitRef("https://git.example/shop.git", "main")))
            .build();
    return Transitions.planned(
            planning, Plan.of("tasks.md", steps, List.of()), CycleFixtures.at(10))
        .toBuilder()
        .lease(null)
        .build();
  }

  private static PlanStep step(String id, String... dependsOn) {
    return PlanStep.of(id, "step " + id, "", id).withDependsOn(List.of(dependsOn));
  }
}
