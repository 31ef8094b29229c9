package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.StateMigrations;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsKeyValueUtil;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The cycle states in the {@code agentos-cycles} bucket. Every write is a create or an update with
 * the revision that was read (compare-and-set); on a conflict the state is read again and the
 * change re-applied. No code anywhere else writes a cycle.
 */
public final class CycleStore {
  /**
   * The header of a cycle's revision that {@link #settle} wrote: the cycle had ended and its ending
   * was recorded. Its value is the status, for a person reading the stream.
   */
  public static final String SETTLED_HEADER = "Agentos-Settled";

  /**
   * The header of every revision this store writes: the cycle's status in it. {@link SettledCycles}
   * counts cycles by status from it without reading the states (a headers-only delivery).
   */
  public static final String STATUS_HEADER = "Agentos-Status";

  private static final Set<String> SCHEMA_FIELD = Set.of("schema");

  private static final String SUBJECT_PREFIX = NatsKeyValueUtil.toKeyPrefix(Topology.CYCLES_BUCKET);

  private final KeyValue kv;
  private final BucketKeys keys;
  private final JetStream js;
  private final CompareAndSet<CycleState> cas;
  private final StreamLeaderRead leader;
  private final DecodedStates decoded = new DecodedStates();

  public CycleStore(KeyValue kv, BucketKeys keys, JetStream js, StreamLeaderRead leader) {
    this.kv = kv;
    this.keys = keys;
    this.js = js;
    this.leader = leader;
    this.cas =
        new CompareAndSet<>(
            kv,
            this::decodeKnown,
            this::encode,
            (key, state, bytes, expected) ->
                JetStreamRetry.transientFailures(
                    write(js, key, statusHeaders(state), bytes, expected)));
  }

  public static CycleStore open(Connection nc) throws IOException {
    return new CycleStore(
        nc.keyValue(Topology.CYCLES_BUCKET),
        new BucketKeys(nc.jetStreamManagement(), Topology.CYCLES_BUCKET),
        nc.jetStream(),
        new StreamLeaderRead(nc, Topology.CYCLES_BUCKET));
  }

  /** A state with the KV revision it was read at. */
  public record Versioned(CycleState state, long revision) {}

  public Optional<Versioned> get(String cycleId) {
    return cas.get(Topology.cycleKey(cycleId)).map(CycleStore::versioned);
  }

  /**
   * The cycle as the leader of the bucket's stream has it. {@link #get} may be answered by a
   * replica that has not applied the latest writes yet (see {@link StreamLeaderRead}); this read
   * has seen every write acknowledged before it was made. It costs a round trip to the leader, so
   * it is for confirming a read that would make a worker throw work away, not for every read.
   */
  public Optional<Versioned> getFromLeader(String cycleId) {
    try {
      return leader
          .last(Topology.cycleKey(cycleId))
          .map(info -> new Versioned(decodeKnown(info.getData()), info.getSeq()));
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("read cycle " + cycleId + " from the stream leader", e);
    }
  }

  public CycleState require(String cycleId) {
    return get(cycleId).map(Versioned::state).orElseThrow(() -> AgentOsException.notFound(cycleId));
  }

  /**
   * Takes the lock on the local working tree {@code directory} for {@code cycleId}, unless a cycle
   * that has not ended holds it; returns that cycle's id then.
   */
  public Optional<String> lockWorkspace(String directory, String cycleId) {
    return new WorkspaceLocks(kv)
        .take(
            directory,
            cycleId,
            holder -> get(holder).map(v -> !v.state().status().isFinal()).orElse(false));
  }

  /**
   * The room a new cycle must find left in the bucket: its state's revisions as they may grow (a
   * state stays under 64 KiB; the bucket keeps {@value Topology#CYCLE_HISTORY} revisions).
   */
  static final long NEW_CYCLE_ROOM = Topology.CYCLE_HISTORY * 64L * 1024;

  /**
   * Writes a new cycle; CONFLICT if one with the same id exists, STORAGE_FULL if the bucket has no
   * room left for one. nats-server 2.9 does not refuse a write to a KV bucket at its maximum size:
   * it drops the bucket's oldest entries, which may be another cycle's only state. So the room is
   * checked here, where the bucket grows (updates of a key replace its older revisions).
   */
  public Versioned create(CycleState state) {
    try {
      requireRoom(state.cycleId());
      byte[] bytes = encode(state);
      String key = Topology.cycleKey(state.cycleId());
      long revision;
      try {
        revision = JetStreamRetry.noResponders(write(js, key, statusHeaders(state), bytes, 0));
      } catch (JetStreamApiException e) {
        if (!JetStreamErrors.is(e, JetStreamErrors.WRONG_LAST_SEQUENCE)) {
          throw e;
        }
        // The key has a history: a value (CONFLICT below), or the marker of a deleted or purged
        // cycle, over which the KV create writes; that revision says no status, and the index
        // reads it once (SettledCycles#readMissingStatuses).
        revision = JetStreamRetry.noResponders(() -> kv.create(key, bytes));
      }
      return new Versioned(state, revision);
    } catch (JetStreamApiException e) {
      if (JetStreamErrors.is(e, JetStreamErrors.WRONG_LAST_SEQUENCE)) {
        throw new AgentOsException(
            ErrorCode.CONFLICT, "a cycle with id '" + state.cycleId() + "' already exists");
      }
      throw unavailable("create cycle " + state.cycleId(), e);
    } catch (IOException e) {
      throw unavailable("create cycle " + state.cycleId(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("create cycle " + state.cycleId(), e);
    }
  }

  private void requireRoom(String cycleId)
      throws IOException, JetStreamApiException, InterruptedException {
    KeyValueStatus status = kv.getStatus();
    long max = status.getMaxBucketSize();
    if (max > 0 && status.getByteCount() + NEW_CYCLE_ROOM > max) {
      throw new AgentOsException(
          ErrorCode.STORAGE_FULL,
          "cannot create cycle "
              + cycleId
              + ": the bucket "
              + Topology.CYCLES_BUCKET
              + " holds "
              + status.getByteCount()
              + " of its "
              + max
              + " bytes, too few left for a new cycle; wait for ended cycles to be removed"
              + " (agentos.retention.ended-cycles), or an operator raises"
              + " agentos.nats.max-bytes.buckets");
    }
  }

  /**
   * Reads the cycle, applies {@code change} and writes the result with the revision read, through
   * {@link CompareAndSet}: on a conflict it waits a short random time and does it all again, so
   * {@code change} must be a pure function of the state it gets. When {@code change} returns its
   * argument unchanged (the same instance), nothing is written. Exceptions thrown by {@code change}
   * abort the update; NOT_FOUND when there is no such cycle.
   */
  public Versioned update(String cycleId, UnaryOperator<CycleState> change) {
    return versioned(cas.update(Topology.cycleKey(cycleId), existing(cycleId, change)));
  }

  /**
   * Like {@link #update(String, UnaryOperator)}, but first tries the state and revision the caller
   * already holds (its own last write), which saves the read when nobody wrote in between — the
   * common case for a worker checkpointing its own phase. On a conflict it reads and retries.
   */
  public Versioned update(Versioned known, UnaryOperator<CycleState> change) {
    String cycleId = known.state().cycleId();
    CompareAndSet.Read<CycleState> read =
        new CompareAndSet.Read<>(Topology.cycleKey(cycleId), known.state(), known.revision());
    return versioned(cas.update(read, existing(cycleId, change)));
  }

  private static UnaryOperator<CycleState> existing(
      String cycleId, UnaryOperator<CycleState> change) {
    return state -> {
      if (state == null) {
        throw AgentOsException.notFound(cycleId);
      }
      return change.apply(state);
    };
  }

  private static Versioned versioned(CompareAndSet.Read<CycleState> read) {
    return new Versioned(read.value(), read.revision());
  }

  /**
   * Removes the cycle's state and its kept revisions, if {@code revision} is still the latest;
   * false when it changed meanwhile (the cycle was resumed), and the state stays.
   */
  public boolean remove(String cycleId, long revision) {
    try {
      kv.purge(Topology.cycleKey(cycleId), revision);
      return true;
    } catch (JetStreamApiException e) {
      if (JetStreamErrors.isConflict(e)) {
        return false;
      }
      throw unavailable("remove cycle " + cycleId, e);
    } catch (IOException e) {
      throw unavailable("remove cycle " + cycleId, e);
    }
  }

  /**
   * Writes {@code cycle}'s state again, unchanged, with the {@link #SETTLED_HEADER} header, if
   * {@code revision} is still its latest: for an ended cycle whose ending is recorded, so that the
   * reconciler ({@link SettledCycles}) never reads it again. The header is on the revision itself,
   * so any later write (a resume, a retry) is unsettled by construction. Returns false when the
   * cycle changed meanwhile: nothing is written, and the next sweep reads it again.
   */
  public boolean settle(Versioned cycle) {
    CycleState state = cycle.state();
    if (!state.status().isFinal()) {
      throw new IllegalArgumentException("cycle " + state.cycleId() + " has not ended");
    }
    Headers headers = statusHeaders(state).put(SETTLED_HEADER, state.status().name());
    try {
      JetStreamRetry.transientFailures(
          write(
              js,
              Topology.cycleKey(state.cycleId()),
              headers,
              Json.write(state),
              cycle.revision()));
      return true;
    } catch (JetStreamApiException e) {
      if (JetStreamErrors.isConflict(e)) {
        return false;
      }
      throw unavailable("settle cycle " + state.cycleId(), e);
    } catch (IOException e) {
      throw unavailable("settle cycle " + state.cycleId(), e);
    }
  }

  /**
   * The ids of every cycle in the bucket, each once, including every cycle written or rewritten
   * while the list is made (see {@link BucketKeys}). A deleted cycle may be listed; {@link #get}
   * finds nothing for it.
   */
  public List<String> cycleIds() {
    try {
      return keys.list(Topology.CYCLE_KEY_PREFIX).stream()
          .map(k -> k.substring(Topology.CYCLE_KEY_PREFIX.length()))
          .toList();
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("list cycles", e);
    }
  }

  private static Headers statusHeaders(CycleState state) {
    return new Headers().put(STATUS_HEADER, state.status().name());
  }

  /**
   * Writes {@code bytes} to {@code key} with {@code headers} if {@code expected} is still its
   * latest revision (0: it has none): the compare-and-set of a KV update, which cannot carry
   * headers. The caller says which failures it may try again after.
   */
  private static JetStreamRetry.Call<Long> write(
      JetStream js, String key, Headers headers, byte[] bytes, long expected) {
    Message message =
        NatsMessage.builder().subject(SUBJECT_PREFIX + key).headers(headers).data(bytes).build();
    PublishOptions options = PublishOptions.builder().expectedLastSubjectSequence(expected).build();
    return () -> js.publish(message, options).getSeqno();
  }

  private byte[] encode(CycleState state) {
    byte[] bytes = Json.write(state);
    decoded.encoded(bytes, state);
    return bytes;
  }

  private CycleState decodeKnown(byte[] bytes) {
    return decoded.decode(bytes, CycleStore::decode);
  }

  /** Reads a stored state of any v1 minor version (or an older major, migrated). */
  public static CycleState decode(byte[] bytes) {
    // The schema is the document's first field: read it alone, and bind a document that needs no
    // migration straight from its bytes instead of building its tree first.
    String schema = Json.topLevelFields(bytes, SCHEMA_FIELD).path("schema").asText(null);
    if (StateMigrations.bindsAsStored(schema)) {
      return Json.readStored(bytes, CycleState.class);
    }
    JsonNode tree = Json.tree(bytes);
    if (!(tree instanceof ObjectNode object)) {
      throw new AgentOsException(ErrorCode.INTERNAL, "a stored cycle state is not a JSON object");
    }
    return Json.convertStored(StateMigrations.toCurrent(object), CycleState.class);
  }

  private static AgentOsException unavailable(String what, Exception cause) {
    return JetStreamErrors.failure(what, cause);
  }
}
