package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.state.Workspace;
import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's time limits, with the real worker and a real nats-server: a phase that runs past
 * {@code maxPhaseTime} is stopped (its thread interrupted, as an agent call would be) and given
 * back, and at the last attempt the cycle fails with AGENT_TIMEOUT; a claim that cannot renew its
 * lease stops its phase at the renew deadline, before another worker could take it over.
 */
class PhaseTimeLimitIT {
  private static final Duration ACK_WAIT = Duration.ofMillis(1500);
  private static final Duration MAX_PHASE_TIME = Duration.ofSeconds(1);

  @TempDir Path workspace;

  @Test
  void aPhaseOverItsTimeIsStoppedRetriedAndThenFailsTheCycle() throws Exception {
    EndlessPhase endless = new EndlessPhase();
    try (TestNats nats = TestNats.start();
        Connection nc = nats.connect()) {
      Topology.ensure(nc, new TopologySettings(1, ACK_WAIT, 5, 100, Duration.ofHours(1)));
      WorkerServices services = WorkerServices.plain(nc, Handoff.unrestricted(nc));
      WorkerSettings settings =
          new WorkerSettings(
              1,
              ACK_WAIT,
              2,
              List.of(Duration.ofMillis(100)),
              Duration.ofSeconds(2),
              Duration.ZERO,
              MAX_PHASE_TIME,
              WorkerSettings.DEFAULT_STORAGE_WAIT);
      CycleState queued =
          CycleFixtures.queued("20261207-120000-endless", CycleOptions.defaults()).toBuilder()
              .workspace(Workspace.atPath(workspace.toString()))
              .build();
      services.store().create(queued);
      try (PhaseWorker worker =
          new PhaseWorker(
              endless,
              nc.getConsumerContext(Topology.WORK_STREAM, Topology.consumer(Phase.PLAN)),
              services,
              settings,
              "planner-it")) {
        worker.start();
        services.handoff().publish(queued);

        CycleState failed =
            Await.value(
                Duration.ofSeconds(30),
                "the cycle to fail",
                () -> {
                  CycleState s = services.store().require(queued.cycleId());
                  return s.status() == Status.FAILED ? s : null;
                });

        assertEquals(ErrorCode.AGENT_TIMEOUT, failed.error().code());
        assertTrue(failed.error().message().contains("longer than PT1S"), failed.error().message());
        assertEquals(2, endless.runs.get(), "run once, retried once (max attempts 2)");
        assertEquals(2, endless.interrupted.get(), "each run was interrupted by the worker");
      }
    }
  }

  @Test
  void aClaimThatCannotRenewItsLeaseStopsItsPhaseAtTheRenewDeadline() throws Exception {
    EndlessPhase endless = new EndlessPhase();
    WorkerSettings settings =
        new WorkerSettings(
            1,
            ACK_WAIT,
            2,
            List.of(Duration.ofMillis(100)),
            Duration.ofSeconds(2),
            Duration.ofMillis(250),
            Duration.ofMinutes(10),
            WorkerSettings.DEFAULT_STORAGE_WAIT);
    try (TestNats nats = TestNats.start();
        Connection nc = nats.connect()) {
      Topology.ensure(nc, new TopologySettings(1, ACK_WAIT, 5, 100, Duration.ofHours(1)));
      WorkerServices services = WorkerServices.plain(nc, Handoff.unrestricted(nc));
      CycleState queued =
          CycleFixtures.queued("20261207-120000-cutoff", CycleOptions.defaults()).toBuilder()
              .workspace(Workspace.atPath(workspace.toString()))
              .build();
      services.store().create(queued);
      try (PhaseWorker worker =
          new PhaseWorker(
              endless,
              nc.getConsumerContext(Topology.WORK_STREAM, Topology.consumer(Phase.PLAN)),
              services,
              settings,
              "planner-it")) {
        worker.start();
        services.handoff().publish(queued);
        assertTrue(endless.running.await(30, TimeUnit.SECONDS), "the phase started");

        nats.process().kill(); // the worker's renewals now fail

        Await.until(
            Duration.ofSeconds(10),
            "the phase to be stopped",
            () -> endless.interruptedAfterNanos.get() >= 0);
        Duration stoppedAfter = Duration.ofNanos(endless.interruptedAfterNanos.get());
        assertTrue(
            stoppedAfter.compareTo(settings.renewDeadline().plus(settings.heartbeatEvery())) < 0,
            "stopped after " + stoppedAfter + ", renew deadline " + settings.renewDeadline());
      }
    }
  }

  /** A PLAN phase whose agent never ends: it waits until the worker interrupts it. */
  private static final class EndlessPhase implements PhaseLogic {
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicLong interruptedAfterNanos = new AtomicLong(-1);
    final CountDownLatch running = new CountDownLatch(1);

    @Override
    public Phase phase() {
      return Phase.PLAN;
    }

    @Override
    public PhaseOutcome run(PhaseContext context) {
      long started = System.nanoTime();
      runs.incrementAndGet();
      running.countDown();
      try {
        new CountDownLatch(1).await(); // never counted down: only an interrupt ends the wait
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        interruptedAfterNanos.set(System.nanoTime() - started);
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the phase was interrupted");
    }
  }
}
