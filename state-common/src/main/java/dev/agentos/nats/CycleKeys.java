package dev.agentos.nats;

import dev.agentos.state.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link SettledCycles} knows of each cycle key: the revision last written, whether it is
 * settled (and when), and the cycle's status at that revision, plus how many cycles are in each
 * status. Plain data, no NATS: the follower feeds it one write at a time.
 *
 * <p>The status comes from the write's own header ({@link CycleStore#STATUS_HEADER}), so the counts
 * cost no message beyond the headers-only delivery the index receives anyway. A revision written
 * without one (by an older version, or a create over a deleted key) has no known status until
 * {@link #learn} is told it; until then it is in no count.
 */
final class CycleKeys {
  /** The latest revision of one cycle key; {@code status} null when the write did not say it. */
  record Entry(Instant settledAt, Status status, long revision, boolean statusRead) {
    boolean settled() {
      return settledAt != null;
    }
  }

  // Sorted, so that a page of `list` (newest id first) is read off it without sorting every key.
  private final ConcurrentNavigableMap<String, Entry> keys = new ConcurrentSkipListMap<>();
  private final Map<Status, AtomicLong> counts = new EnumMap<>(Status.class);

  CycleKeys() {
    for (Status status : Status.values()) {
      counts.put(status, new AtomicLong());
    }
  }

  /** The revision {@code revision} of {@code cycleId} was written; null status when unknown. */
  synchronized void written(String cycleId, long revision, Status status, Instant settledAt) {
    move(keys.put(cycleId, new Entry(settledAt, status, revision, false)), status);
  }

  /** The cycle was deleted or purged. */
  synchronized void removed(String cycleId) {
    move(keys.remove(cycleId), null);
  }

  /**
   * The status of {@code cycleId} at {@code revision}, read from the state itself (null when it
   * could not be read); ignored when a later revision came meanwhile, which says its own.
   */
  synchronized void learn(String cycleId, long revision, Status status) {
    Entry entry = keys.get(cycleId);
    if (entry == null || entry.revision() != revision || entry.status() != null) {
      return;
    }
    keys.put(cycleId, new Entry(entry.settledAt(), status, revision, true));
    move(entry, status);
  }

  /**
   * Takes {@code previous}'s status off its count and adds one to {@code next} (either may be
   * null).
   */
  private void move(Entry previous, Status next) {
    if (previous != null && previous.status() != null) {
      counts.get(previous.status()).decrementAndGet();
    }
    if (next != null) {
      counts.get(next).incrementAndGet();
    }
  }

  long count(Status status) {
    return counts.get(status).get();
  }

  /** Up to {@code max} keys whose status is not known and has not been read yet, with revisions. */
  List<Map.Entry<String, Long>> statusUnknown(int max) {
    List<Map.Entry<String, Long>> unknown = new ArrayList<>();
    for (Map.Entry<String, Entry> e : keys.entrySet()) {
      if (unknown.size() >= max) {
        break;
      }
      Entry entry = e.getValue();
      if (entry.status() == null && !entry.statusRead()) {
        unknown.add(Map.entry(e.getKey(), entry.revision()));
      }
    }
    return unknown;
  }

  Entry get(String cycleId) {
    return keys.get(cycleId);
  }

  int size() {
    return keys.size();
  }

  NavigableSet<String> ids() {
    return keys.keySet();
  }

  long settledCount() {
    return keys.values().stream().filter(Entry::settled).count();
  }

  Map<String, Entry> view() {
    return keys;
  }
}
