package dev.agentos.history;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CompareAndSet;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/** The {@code agentos-history} bucket: one record per ended cycle, its latest ending. */
public final class HistoryStore {
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = Logger.getLogger(HistoryStore.class);

  private final KeyValue kv;

  public HistoryStore(KeyValue kv) {
    this.kv = kv;
  }

  public static HistoryStore open(Connection nc) throws IOException {
    return new HistoryStore(nc.keyValue(Topology.HISTORY_BUCKET));
  }

  /**
   * Writes the record of a cycle's ending, unless the bucket already holds this ending or a later
   * one. A cycle resumed after it failed ends again later; its record is then replaced, through
   * {@link CompareAndSet} so two services recording the same ending write it once.
   *
   * @return true if this call wrote the record, false if the bucket already held it
   * @throws AgentOsException CONFLICT when other writers kept winning the race, UNAVAILABLE when
   *     the bucket cannot be used; the ending is then not recorded and the caller must try again
   */
  public boolean record(HistoryRecord record) {
    CompareAndSet.Read<HistoryRecord> written =
        new CompareAndSet<>(kv, HistoryStore::decode, Json::write)
            .update(
                record.key(),
                stored -> stored == null || olderThan(stored, record.endedAt()) ? record : stored);
    return written.value() == record;
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
   *
   * <p>One pass of a KV watch over the latest value of every key, rather than a listing of the keys
   * and a get for each: a request/reply per ended cycle made a listing of 10 000 cycles take
   * seconds.
   *
   * <p>The watch delivers the whole stream, not the last value per key: the bucket keeps one value
   * per key, so that is the same set, but a last-per-key watch (like {@code kv.keys()}) ends early
   * when a value not yet delivered is replaced, leaving that key out (a few listings in a hundred
   * under concurrent endings, on nats-server 2.9).
   */
  public List<HistoryRecord> list(String project, Predicate<HistoryRecord> filter) {
    HistoryScan scan = new HistoryScan(filter);
    NatsKeyValueWatchSubscription watch;
    try {
      watch =
          kv.watch(
              project == null ? ">" : project + ".*",
              scan,
              KeyValueWatchOption.INCLUDE_HISTORY,
              KeyValueWatchOption.IGNORE_DELETE);
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
    }
    List<HistoryRecord> records;
    try {
      records = scan.await(LIST_TIMEOUT);
    } finally {
      watch.unsubscribe();
    }
    records.sort(
        Comparator.comparing(
            HistoryRecord::endedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return records;
  }

  /** Collects the records a watch delivers until the server says it has sent them all. */
  private static final class HistoryScan implements KeyValueWatcher {
    private final Predicate<HistoryRecord> filter;
    // By key: a record written while the scan runs comes again with its new revision.
    private final Map<String, HistoryRecord> records = new HashMap<>();
    private final CountDownLatch complete = new CountDownLatch(1);
    private boolean done;

    HistoryScan(Predicate<HistoryRecord> filter) {
      this.filter = filter;
    }

    @Override
    public synchronized void watch(KeyValueEntry entry) {
      if (done || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
        return; // after the end of data: an ending recorded while we listed
      }
      HistoryRecord record;
      try {
        record = decode(entry.getValue());
      } catch (AgentOsException e) {
        // Someone's hand-written value: one unreadable record must not hide all the others.
        LOG.warnf("skipping the unreadable history record %s: %s", entry.getKey(), e.getMessage());
        return;
      }
      if (filter.test(record)) {
        records.put(entry.getKey(), record);
      } else {
        records.remove(entry.getKey());
      }
    }

    @Override
    public synchronized void endOfData() {
      done = true;
      complete.countDown();
    }

    List<HistoryRecord> await(Duration timeout) {
      try {
        if (!complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AgentOsException(
              ErrorCode.UNAVAILABLE, "the history bucket was not read within " + timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
      }
      synchronized (this) {
        return new ArrayList<>(records.values());
      }
    }
  }

  private static AgentOsException unavailable(Exception e) {
    return new AgentOsException(
        ErrorCode.UNAVAILABLE, "cannot use the history bucket: " + e.getMessage(), e);
  }
}
