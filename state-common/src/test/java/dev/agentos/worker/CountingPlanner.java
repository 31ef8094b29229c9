package dev.agentos.worker;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real planner worker for tests whose PLAN phase only counts its runs and returns a fixed plan,
 * and which keeps, per cycle, the delivery of the work message its claim was made at.
 */
final class CountingPlanner {
  final AtomicInteger runs = new AtomicInteger();
  final Map<String, Long> claimedAt = new ConcurrentHashMap<>();

  /** A worker on {@code nc} that reads and writes cycles through {@code store}; not started. */
  PhaseWorker worker(Connection nc, CycleStore store, Duration ackWait, int concurrency)
      throws IOException, JetStreamApiException {
    WorkerServices plain = WorkerServices.plain(nc, Handoff.unrestricted(nc));
    WorkerListener listener =
        new WorkerListener() {
          @Override
          public void claimed(CycleState state, Phase phase, long delivery) {
            claimedAt.put(state.cycleId(), delivery);
          }
        };
    WorkerServices services =
        new WorkerServices(
            store,
            plain.handoff(),
            plain.events(),
            plain.deadLetters(),
            plain.workspaces(),
            plain.artifacts(),
            listener,
            plain.tracing(),
            plain.ended(),
            plain.clock(),
            plain.faults());
    WorkerSettings defaults = WorkerSettings.defaults();
    WorkerSettings settings =
        new WorkerSettings(
            concurrency,
            ackWait,
            defaults.maxAttempts(),
            defaults.retryDelays(),
            defaults.drainTimeout(),
            Duration.ZERO,
            defaults.maxPhaseTime(),
            defaults.storageWait());
    PhaseLogic planning =
        new PhaseLogic() {
          @Override
          public Phase phase() {
            return Phase.PLAN;
          }

          @Override
          public PhaseOutcome run(PhaseContext context) {
            runs.incrementAndGet();
            return new PhaseOutcome.Planned(CycleFixtures.plan());
          }
        };
    return new PhaseWorker(
        planning,
        nc.getConsumerContext(Topology.WORK_STREAM, Topology.consumer(Phase.PLAN)),
        services,
        settings,
        "planner-counting");
  }
}
