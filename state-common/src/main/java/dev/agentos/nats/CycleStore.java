package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.StateMigrations;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The cycle states in the {@code agentos-cycles} bucket. Every write is a create or an update with
 * the revision that was read (compare-and-set); on a conflict the state is read again and the
 * change re-applied. No code anywhere else writes a cycle.
 */
public final class CycleStore {
  /** JetStream's "wrong last sequence": somebody else wrote the key since we read it. */
  static final int WRONG_LAST_SEQUENCE = 10071;

  /** JetStream's "sequence temporarily unknown", seen while a clustered stream elects a leader. */
  static final int SEQUENCE_TEMPORARILY_UNKNOWN = 10164;

  private static final int MAX_ATTEMPTS = 200;
  private static final long MAX_BACKOFF_MICROS = 20_000;

  private final KeyValue kv;

  public CycleStore(KeyValue kv) {
    this.kv = kv;
  }

  public static CycleStore open(Connection nc) throws IOException {
    return new CycleStore(nc.keyValue(Topology.CYCLES_BUCKET));
  }

  /** A state with the KV revision it was read at. */
  public record Versioned(CycleState state, long revision) {}

  public Optional<Versioned> get(String cycleId) {
    try {
      KeyValueEntry entry = kv.get(Topology.cycleKey(cycleId));
      if (entry == null || entry.getValue() == null) {
        return Optional.empty();
      }
      return Optional.of(new Versioned(decode(entry.getValue()), entry.getRevision()));
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("read cycle " + cycleId, e);
    }
  }

  public CycleState require(String cycleId) {
    return get(cycleId).map(Versioned::state).orElseThrow(() -> AgentOsException.notFound(cycleId));
  }

  /** Writes a new cycle; CONFLICT if one with the same id exists. */
  public Versioned create(CycleState state) {
    try {
      long revision = kv.create(Topology.cycleKey(state.cycleId()), Json.write(state));
      return new Versioned(state, revision);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        throw new AgentOsException(
            ErrorCode.CONFLICT, "a cycle with id '" + state.cycleId() + "' already exists");
      }
      throw unavailable("create cycle " + state.cycleId(), e);
    } catch (IOException e) {
      throw unavailable("create cycle " + state.cycleId(), e);
    }
  }

  /**
   * Reads the cycle, applies {@code change} and writes the result with the revision read. On a
   * conflict it waits a short random time and does it all again, so {@code change} must be a pure
   * function of the state it gets. When {@code change} returns its argument unchanged (the same
   * instance), nothing is written. Exceptions thrown by {@code change} abort the update.
   */
  public Versioned update(String cycleId, UnaryOperator<CycleState> change) {
    String key = Topology.cycleKey(cycleId);
    for (int attempt = 1; ; attempt++) {
      Versioned current = get(cycleId).orElseThrow(() -> AgentOsException.notFound(cycleId));
      CycleState next = change.apply(current.state());
      if (next == current.state()) {
        return current;
      }
      try {
        long revision = kv.update(key, Json.write(next), current.revision());
        return new Versioned(next, revision);
      } catch (JetStreamApiException e) {
        if (!isConflict(e)) {
          throw unavailable("update cycle " + cycleId, e);
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new AgentOsException(
              ErrorCode.CONFLICT,
              "cycle " + cycleId + " kept changing under " + attempt + " attempts to update it",
              e);
        }
        backOff(attempt);
      } catch (IOException e) {
        throw unavailable("update cycle " + cycleId, e);
      }
    }
  }

  /**
   * Like {@link #update(String, UnaryOperator)}, but first tries the state and revision the caller
   * already holds (its own last write), which saves the read when nobody wrote in between — the
   * common case for a worker checkpointing its own phase. On a conflict it reads and retries.
   */
  public Versioned update(Versioned known, UnaryOperator<CycleState> change) {
    CycleState next = change.apply(known.state());
    if (next == known.state()) {
      return known;
    }
    String cycleId = known.state().cycleId();
    try {
      long revision = kv.update(Topology.cycleKey(cycleId), Json.write(next), known.revision());
      return new Versioned(next, revision);
    } catch (JetStreamApiException e) {
      if (!isConflict(e)) {
        throw unavailable("update cycle " + cycleId, e);
      }
    } catch (IOException e) {
      throw unavailable("update cycle " + cycleId, e);
    }
    return update(cycleId, change);
  }

  /** The ids of every cycle in the bucket. */
  public List<String> cycleIds() {
    try {
      // A key written while the listing runs is delivered again with its new revision. A
      // last-per-key listing leaves out a key whose listed value is deleted before delivery (see
      // HistoryStore.list); with five revisions kept only a key written five times during one
      // listing is at risk (none in 100 trial listings with ten keys rewritten nonstop), and a
      // sweep that missed one finds it on the next.
      return kv.keys(Topology.CYCLE_KEY_PREFIX + "*").stream()
          .map(k -> k.substring(Topology.CYCLE_KEY_PREFIX.length()))
          .distinct()
          .toList();
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("list cycles", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted while listing cycles", e);
    }
  }

  /** Reads a stored state of any v1 minor version (or an older major, migrated). */
  public static CycleState decode(byte[] bytes) {
    JsonNode tree = Json.tree(bytes);
    if (!(tree instanceof ObjectNode object)) {
      throw new AgentOsException(ErrorCode.INTERNAL, "a stored cycle state is not a JSON object");
    }
    return Json.convertStored(StateMigrations.toCurrent(object), CycleState.class);
  }

  private static boolean isConflict(JetStreamApiException e) {
    return e.getApiErrorCode() == WRONG_LAST_SEQUENCE
        || e.getApiErrorCode() == SEQUENCE_TEMPORARILY_UNKNOWN;
  }

  private static void backOff(int attempt) {
    // Full jitter keeps competing writers from retrying in lock-step.
    long ceiling = Math.min(MAX_BACKOFF_MICROS, 100L << Math.min(attempt, 10));
    long micros = ThreadLocalRandom.current().nextLong(ceiling + 1);
    try {
      Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted during a state update", e);
    }
  }

  private static AgentOsException unavailable(String what, Exception cause) {
    return new AgentOsException(
        ErrorCode.UNAVAILABLE, "cannot " + what + ": " + cause.getMessage(), cause);
  }
}
