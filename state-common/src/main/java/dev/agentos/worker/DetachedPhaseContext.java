package dev.agentos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.nats.EventType;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.Usage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A phase context that keeps everything in memory: for running a phase outside a cycle (e.g. {@code
 * agentos.planner.plan}, which plans a spec without starting one) and for testing phase logic
 * without NATS.
 */
public final class DetachedPhaseContext implements PhaseContext {
  private final Path workspace;
  private CycleState state;
  private boolean cancelled;
  private final List<Usage> usage = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final List<CycleState> checkpoints = new ArrayList<>();

  public DetachedPhaseContext(CycleState state, Path workspace) {
    this.state = state;
    this.workspace = workspace;
  }

  @Override
  public synchronized CycleState state() {
    return state;
  }

  @Override
  public Path workspace() {
    return workspace;
  }

  @Override
  public int attempt() {
    return Math.max(1, state.attempts());
  }

  @Override
  public synchronized boolean cancelled() {
    return cancelled;
  }

  public synchronized void cancel() {
    cancelled = true;
  }

  @Override
  public synchronized CycleState checkpoint(UnaryOperator<CycleState> change) {
    state = change.apply(state);
    checkpoints.add(state);
    return state;
  }

  @Override
  public synchronized void recordUsage(Usage value, String model) {
    usage.add(value);
  }

  @Override
  public synchronized Usage uncommittedUsage() {
    return usage.stream().reduce(Usage.ZERO, Usage::plus);
  }

  @Override
  public ArtifactRef storeArtifact(String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new ArtifactRef(name, bytes.length, Artifacts.sha256(bytes));
  }

  @Override
  public ArtifactRef replaceArtifact(ArtifactRef stored, String content) {
    return storeArtifact(stored.artifact(), content);
  }

  @Override
  public synchronized void event(EventType type, String message, JsonNode detail) {
    events.add(type.wire() + ": " + message);
  }

  public synchronized List<Usage> usage() {
    return List.copyOf(usage);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public synchronized List<CycleState> checkpoints() {
    return List.copyOf(checkpoints);
  }
}
