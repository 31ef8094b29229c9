package dev.agentos.worker;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.DeadLetters;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import dev.agentos.state.CycleState;
import dev.agentos.workspace.WorkspacePaths;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What a {@link PhaseWorker} works with besides its role's logic and its consumer. {@code ended} is
 * told of every cycle the worker brings to a final status (history, chains).
 */
public record WorkerServices(
    CycleStore store,
    Handoff handoff,
    Events events,
    DeadLetters deadLetters,
    WorkspacePaths workspaces,
    Artifacts artifacts,
    WorkerListener listener,
    MessageTracing tracing,
    Consumer<CycleState> ended,
    Clock clock) {}
