package dev.agentos.history;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The {@code agentos-history} bucket: one record per ended cycle, its latest ending. */
public final class HistoryStore {
  private final KeyValue kv;

  public HistoryStore(KeyValue kv) {
    this.kv = kv;
  }

  public static HistoryStore open(Connection nc) throws IOException {
    return new HistoryStore(nc.keyValue(Topology.HISTORY_BUCKET));
  }

  /**
   * Writes the record of a cycle's ending, unless the bucket already holds this ending or a later
   * one. A cycle resumed after it failed ends again later; its record is then replaced, with a
   * compare-and-set so two services recording the same ending write it once.
   *
   * @return true if this call wrote the record
   */
  public boolean record(HistoryRecord record) {
    for (int attempt = 1; attempt <= 10; attempt++) {
      try {
        KeyValueEntry entry = kv.get(record.key());
        if (entry == null || entry.getValue() == null) {
          kv.create(record.key(), Json.write(record));
          return true;
        }
        if (!olderThan(decode(entry.getValue()), record.endedAt())) {
          return false;
        }
        kv.update(record.key(), Json.write(record), entry.getRevision());
        return true;
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != 10071) {
          throw unavailable(e);
        }
      } catch (IOException e) {
        throw unavailable(e);
      }
    }
    return false;
  }

  /** Whether the bucket holds the ending at {@code endedAt} (or a later one) of this cycle. */
  public boolean hasEnding(String project, String cycleId, Instant endedAt) {
    try {
      KeyValueEntry entry = kv.get(project + "." + cycleId);
      return entry != null
          && entry.getValue() != null
          && !olderThan(decode(entry.getValue()), endedAt);
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    }
  }

  private static boolean olderThan(HistoryRecord stored, Instant endedAt) {
    return endedAt != null && (stored.endedAt() == null || stored.endedAt().isBefore(endedAt));
  }

  private static HistoryRecord decode(byte[] value) {
    return Json.convertStored(Json.tree(value), HistoryRecord.class);
  }

  /**
   * The records of {@code project} (every project when null) that pass {@code filter}, newest
   * first.
   */
  public List<HistoryRecord> list(String project, Predicate<HistoryRecord> filter) {
    List<HistoryRecord> records = new ArrayList<>();
    try {
      for (String key : kv.keys(project == null ? ">" : project + ".*")) {
        KeyValueEntry entry = kv.get(key);
        if (entry != null && entry.getValue() != null) {
          HistoryRecord record = decode(entry.getValue());
          if (filter.test(record)) {
            records.add(record);
          }
        }
      }
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
    }
    records.sort(
        Comparator.comparing(
            HistoryRecord::endedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return records;
  }

  private static AgentOsException unavailable(Exception e) {
    return new AgentOsException(
        ErrorCode.UNAVAILABLE, "cannot use the history bucket: " + e.getMessage(), e);
  }
}
