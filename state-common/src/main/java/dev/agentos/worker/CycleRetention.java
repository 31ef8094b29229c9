package dev.agentos.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import io.nats.client.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes what an ended cycle leaves behind once its retention period has passed: its artifacts in
 * the object store, then its state in {@code agentos-cycles}. The history record ({@code
 * agentos-history}) stays: that is what {@code history} and {@code stats} read. The reconciler asks
 * it about every ended cycle whose ending is recorded, and reads a settled cycle again once it was
 * settled longer ago than the period (settling comes after the ending, so it is due by then).
 */
public final class CycleRetention {
  private static final Logger LOG = Logger.getLogger(CycleRetention.class);

  private final Duration period;
  private final CycleStore store;
  private final ObjectStore artifacts;

  public CycleRetention(Duration period, CycleStore store, ObjectStore artifacts) {
    this.period = period;
    this.store = store;
    this.artifacts = artifacts;
  }

  /** Whether {@code state} ended more than the retention period before {@code now}. */
  public boolean due(CycleState state, Instant now) {
    return state.status().isFinal() && state.updatedAt() != null && due(state.updatedAt(), now);
  }

  /** Whether something that happened at {@code at} is more than the retention period old. */
  public boolean due(Instant at, Instant now) {
    return at.plus(period).isBefore(now);
  }

  /**
   * Deletes the cycle's artifacts, then its state if it is still the revision read (a cycle resumed
   * meanwhile is kept). Returns whether the state was removed.
   */
  public boolean remove(CycleStore.Versioned cycle) {
    CycleState state = cycle.state();
    for (String name : artifactNames(state)) {
      try {
        artifacts.delete(name);
      } catch (Exception e) {
        // Already gone (a sweep that stopped half-way), or the store is away: the state stays
        // until every artifact is gone, so a later sweep tries again.
        if (!String.valueOf(e.getMessage()).toLowerCase().contains("not found")) {
          LOG.warnf(
              "cycle=%s cannot delete artifact %s yet: %s", state.cycleId(), name, e.getMessage());
          return false;
        }
      }
    }
    try {
      boolean removed = store.remove(state.cycleId(), cycle.revision());
      if (removed) {
        LOG.infof(
            "cycle=%s removed after its retention period (%s); its history record stays",
            state.cycleId(), period);
      }
      return removed;
    } catch (AgentOsException e) {
      LOG.warnf("cycle=%s cannot be removed yet: %s", state.cycleId(), e.getMessage());
      return false;
    }
  }

  /**
   * The object names of every artifact the state refers to ({@code {"artifact","size","sha256"}}).
   */
  static List<String> artifactNames(CycleState state) {
    List<String> names = new ArrayList<>();
    collect(Json.mapper().valueToTree(state), names);
    return names;
  }

  private static void collect(JsonNode node, List<String> names) {
    if (node.isObject()) {
      if (node.path("artifact").isTextual() && node.has("sha256")) {
        names.add(node.path("artifact").asText());
      }
      node.forEach(child -> collect(child, names));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, names));
    }
  }
}
