package dev.agentos.history;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.BucketKeys;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The {@code agentos-history} bucket: one record per ended cycle, its latest ending, and the
 * running totals {@code stats} reads ({@link ProjectStats} per project under {@code
 * _stats.<project>}; a project name never starts with {@code _}).
 */
public final class HistoryStore {
  /** How long a scan waits for the next record before it gives up. */
  private static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);

  private static final Logger LOG = Logger.getLogger(HistoryStore.class);

  /** Keys of the running totals; no record's key starts with it. */
  static final String STATS_PREFIX = "_stats.";

  /** Written once the totals were built from the records: a store from before them has none. */
  static final String STATS_BUILT = "_stats";

  /** The names of the projects with totals ({@link StatsProjects}). */
  static final String STATS_PROJECTS = "_stats_projects";

  private final KeyValue kv;
  private final BucketKeys keys;

  public HistoryStore(KeyValue kv, BucketKeys keys) {
    this.kv = kv;
    this.keys = keys;
  }

  public static HistoryStore open(Connection nc) throws IOException {
    return new HistoryStore(
        nc.keyValue(Topology.HISTORY_BUCKET),
        new BucketKeys(nc.jetStreamManagement(), Topology.HISTORY_BUCKET));
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
    AtomicReference<HistoryRecord> replaced = new AtomicReference<>();
    CompareAndSet.Read<HistoryRecord> written =
        new CompareAndSet<>(kv, HistoryStore::decode, Json::write)
            .update(
                record.key(),
                stored -> {
                  replaced.set(stored);
                  return stored == null || olderThan(stored, record.endedAt()) ? record : stored;
                });
    boolean wrote = written.value() == record;
    if (wrote) {
      addToTotals(record, replaced.get());
    }
    return wrote;
  }

  /**
   * Counts {@code record} in its project's totals, and takes back the ending it replaced. Only the
   * writer of the record gets here, so each ending is counted once. If this write fails after the
   * record's, the totals miss that ending until {@link #rebuildStats()} recomputes them; the record
   * itself is kept and the failure is logged, never passed on to the cycle.
   */
  private void addToTotals(HistoryRecord record, HistoryRecord replaced) {
    try {
      // The name first: a project with totals is always listed (a crash between leaves a name
      // without totals, which reads as no cycles).
      projects()
          .update(
              STATS_PROJECTS,
              current ->
                  current != null && current.has(record.project())
                      ? current
                      : (current == null ? new StatsProjects(List.of()) : current)
                          .with(List.of(record.project())));
      totals()
          .update(
              STATS_PREFIX + record.project(),
              current -> {
                ProjectStats base =
                    current == null ? ProjectStats.empty(record.project()) : current;
                return (replaced == null ? base : base.with(replaced, -1)).with(record, 1);
              });
    } catch (AgentOsException e) {
      LOG.warnf(
          "cycle=%s the stats totals of project %s miss this ending (%s); `agentos stats"
              + " --rebuild` recomputes them",
          record.cycleId(), record.project(), e.getMessage());
    }
  }

  /**
   * The statistics of {@code project}'s ended cycles (every project's when null), from the running
   * totals: one document per project, however many records there are. A store whose totals were
   * never built (written before they existed) builds them first.
   */
  public Stats stats(String project) {
    if (totals().get(STATS_BUILT).isEmpty()) {
      return rebuildStats(project);
    }
    List<ProjectStats> projects = new ArrayList<>();
    if (project != null) {
      totals().get(STATS_PREFIX + project).ifPresent(r -> projects.add(r.value()));
    } else {
      for (String name : projectNames()) {
        totals().get(STATS_PREFIX + name).ifPresent(r -> projects.add(r.value()));
      }
    }
    return ProjectStats.toStats(projects);
  }

  /**
   * Recomputes every project's totals from the records and returns the statistics of all. For
   * totals that missed endings (a service died between a record and its totals). Endings recorded
   * while it runs may be counted twice or not at all: run it again once they are in.
   */
  public Stats rebuildStats() {
    return rebuildStats(null);
  }

  private Stats rebuildStats(String project) {
    // Folded as the records arrive: a million records are never held at once.
    Map<String, ProjectStats> rebuilt = new TreeMap<>();
    scan(
        null,
        (key, r) ->
            rebuilt.put(
                r.project(),
                rebuilt.getOrDefault(r.project(), ProjectStats.empty(r.project())).with(r, 1)));
    CompareAndSet<ProjectStats> totals = totals();
    try {
      for (String key : keys.list(STATS_PREFIX)) {
        if (!rebuilt.containsKey(key.substring(STATS_PREFIX.length()))) {
          kv.delete(key);
        }
      }
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    }
    rebuilt.forEach((p, stats) -> totals.update(STATS_PREFIX + p, current -> stats));
    projects()
        .update(
            STATS_PROJECTS,
            current ->
                (current == null ? new StatsProjects(List.of()) : current).with(rebuilt.keySet()));
    totals.update(STATS_BUILT, current -> ProjectStats.empty(""));
    LOG.infof("stats totals rebuilt from the records of %d project(s)", rebuilt.size());
    return ProjectStats.toStats(
        project == null
            ? List.copyOf(rebuilt.values())
            : rebuilt.containsKey(project) ? List.of(rebuilt.get(project)) : List.of());
  }

  /**
   * The projects with totals; a store from before the list existed gets it from one listing of the
   * totals' keys.
   */
  private List<String> projectNames() {
    Optional<CompareAndSet.Read<StatsProjects>> known = projects().get(STATS_PROJECTS);
    if (known.isPresent()) {
      return known.get().value().projects();
    }
    List<String> listed;
    try {
      listed =
          keys.list(STATS_PREFIX).stream().map(k -> k.substring(STATS_PREFIX.length())).toList();
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    }
    return projects()
        .update(
            STATS_PROJECTS,
            current -> (current == null ? new StatsProjects(List.of()) : current).with(listed))
        .value()
        .projects();
  }

  private CompareAndSet<StatsProjects> projects() {
    return new CompareAndSet<>(
        kv, bytes -> Json.convertStored(Json.tree(bytes), StatsProjects.class), Json::write);
  }

  private CompareAndSet<ProjectStats> totals() {
    return new CompareAndSet<>(
        kv, bytes -> Json.convertStored(Json.tree(bytes), ProjectStats.class), Json::write);
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
    // By key: a record written while the scan runs comes again with its new revision.
    Map<String, HistoryRecord> records = new HashMap<>();
    scan(
        project,
        (key, record) -> {
          if (filter.test(record)) {
            records.put(key, record);
          } else {
            records.remove(key);
          }
        });
    List<HistoryRecord> sorted = new ArrayList<>(records.values());
    sorted.sort(
        Comparator.comparing(
            HistoryRecord::endedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return sorted;
  }

  /**
   * Gives {@code each} every record of {@code project} (every project's when null), on one thread.
   *
   * <p>The scan ends at a stream sequence fixed while it runs, not when the server has nothing more
   * to send: under a steady stream of endings that moment never comes, and a listing waited without
   * end. The bound: when the first message written after the scan began arrives, every message
   * written before it has been passed, and any of those replaced before it was delivered was
   * replaced before that moment, so its new value is at or below the stream's last sequence then.
   * Reaching that sequence (or the server's end of data, whichever is first) means every key was
   * seen with a value at least as new as when the scan began.
   *
   * <p>Fails only when the records stop arriving for {@link #STALL_TIMEOUT}, so the time allowed
   * grows with the bucket (a million records took over 30 s on a loaded machine) while a dead
   * server is still noticed. Two minutes: on a three-node cluster at load 30 the first record of a
   * million came more than 30 s after the watch began.
   */
  private void scan(String project, BiConsumer<String, HistoryRecord> each) {
    long startedAt = lastSequence();
    if (startedAt == 0) {
      return; // nothing was ever written
    }
    HistoryScan scan = new HistoryScan(each, startedAt);
    NatsKeyValueWatchSubscription watch;
    try {
      // Deletes come too, so that their sequences count towards the bound.
      watch =
          kv.watch(
              project == null ? ">" : project + ".*", scan, KeyValueWatchOption.INCLUDE_HISTORY);
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
    }
    try {
      scan.await(STALL_TIMEOUT, this::lastSequence);
    } finally {
      watch.unsubscribe();
    }
  }

  private long lastSequence() {
    try {
      return keys.lastSequence();
    } catch (IOException | JetStreamApiException e) {
      throw unavailable(e);
    }
  }

  /**
   * Hands on the records a watch delivers until it reaches the scan's bound ({@link #scan}) or the
   * server says it has sent them all. The watch's thread only asks for the bound; the waiting
   * thread fetches it, so the watch never blocks on a request.
   */
  private static final class HistoryScan implements KeyValueWatcher {
    private static final long UNKNOWN = Long.MAX_VALUE;

    private final BiConsumer<String, HistoryRecord> each;
    private final long startedAt;
    private long bound = UNKNOWN;
    private boolean boundWanted;
    private long highest;
    private long lastProgress = System.nanoTime();
    private boolean done;

    HistoryScan(BiConsumer<String, HistoryRecord> each, long startedAt) {
      this.each = each;
      this.startedAt = startedAt;
    }

    @Override
    public synchronized void watch(KeyValueEntry entry) {
      if (done) {
        return; // past the bound: an ending recorded while we listed
      }
      lastProgress = System.nanoTime();
      highest = Math.max(highest, entry.getRevision());
      handOn(entry);
      if (highest > startedAt && bound == UNKNOWN && !boundWanted) {
        boundWanted = true;
        notifyAll();
      }
      if (highest >= bound) {
        finish();
      }
    }

    private void handOn(KeyValueEntry entry) {
      if (entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
        return;
      }
      if (entry.getKey().startsWith(STATS_BUILT)) {
        return; // the running totals, not a record
      }
      HistoryRecord record;
      try {
        record = decode(entry.getValue());
      } catch (AgentOsException e) {
        // Someone's hand-written value: one unreadable record must not hide all the others.
        LOG.warnf("skipping the unreadable history record %s: %s", entry.getKey(), e.getMessage());
        return;
      }
      each.accept(entry.getKey(), record);
    }

    @Override
    public synchronized void endOfData() {
      finish();
    }

    private void finish() {
      done = true; // what the callback collected is complete and no longer changes
      notifyAll();
    }

    /** Returns once every record up to the bound was handed on. */
    void await(Duration stall, LongSupplier lastSequence) {
      try {
        while (waitForDoneOrBoundWanted(stall)) {
          long fetched = lastSequence.getAsLong();
          synchronized (this) {
            bound = fetched;
            if (highest >= bound) {
              finish();
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
      }
    }

    /** True when the bound must be fetched, false when the scan is done. */
    private synchronized boolean waitForDoneOrBoundWanted(Duration stall)
        throws InterruptedException {
      while (!done && !(boundWanted && bound == UNKNOWN)) {
        if (System.nanoTime() - lastProgress > stall.toNanos()) {
          done = true;
          throw new AgentOsException(
              ErrorCode.UNAVAILABLE,
              "the history bucket sent nothing for " + stall + "; try again");
        }
        wait(1000);
      }
      return !done;
    }
  }

  private static AgentOsException unavailable(Exception e) {
    return new AgentOsException(
        ErrorCode.UNAVAILABLE, "cannot use the history bucket: " + e.getMessage(), e);
  }
}
