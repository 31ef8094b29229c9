package dev.agentos.worker;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import dev.agentos.state.CycleState;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.Connection;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What a {@link PhaseWorker} works with besides its role's logic and its consumer. {@code ended} is
 * told of every cycle the worker brings to a final status (history, chains); {@code faults} are the
 * test hooks a fault test asked for ({@link FaultPoints#NONE} in production).
 */
public record WorkerServices(
    CycleStore store,
    Handoff handoff,
    Events events,
    DeadLetters deadLetters,
    PhaseWorkspaces workspaces,
    Artifacts artifacts,
    WorkerListener listener,
    MessageTracing tracing,
    Consumer<CycleState> ended,
    Clock clock,
    FaultPoints faults) {

  /**
   * What a worker needs on {@code nc}, without metrics, tracing, endings or fault hooks: for tools
   * and tests that run a worker outside a service.
   */
  public static WorkerServices plain(Connection nc, Handoff handoff) throws IOException {
    return new WorkerServices(
        CycleStore.open(nc),
        handoff,
        new Events(nc, Clock.systemUTC()),
        new DeadLetters(nc.jetStream()),
        PhaseWorkspaces.local(WorkspacePaths.unconfined()),
        Artifacts.open(nc),
        WorkerListener.NONE,
        MessageTracing.NONE,
        ended -> {},
        Clock.systemUTC(),
        FaultPoints.NONE);
  }

  /** The same services reading and writing cycles through {@code other}. */
  public WorkerServices withStore(CycleStore other) {
    return new WorkerServices(
        other,
        handoff,
        events,
        deadLetters,
        workspaces,
        artifacts,
        listener,
        tracing,
        ended,
        clock,
        faults);
  }
}
