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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The {@code agentos-history} bucket: one record per ended cycle, written once. */
public final class HistoryStore {
  private final KeyValue kv;

  public HistoryStore(KeyValue kv) {
    this.kv = kv;
  }

  public static HistoryStore open(Connection nc) throws IOException {
    return new HistoryStore(nc.keyValue(Topology.HISTORY_BUCKET));
  }

  /** Writes the record unless the cycle already has one; true if this call wrote it. */
  public boolean record(HistoryRecord record) {
    try {
      kv.create(record.key(), Json.write(record));
      return true;
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == 10071) {
        return false;
      }
      throw unavailable(e);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  public boolean has(String project, String cycleId) {
    try {
      KeyValueEntry entry = kv.get(project + "." + cycleId);
      return entry != null && entry.getValue() != null;
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    }
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
          HistoryRecord record =
              Json.convertStored(Json.tree(entry.getValue()), HistoryRecord.class);
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
