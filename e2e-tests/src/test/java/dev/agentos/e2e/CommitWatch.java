package dev.agentos.e2e;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.JetStreamErrors;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import dev.agentos.testing.Await;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.nats.client.support.NatsKeyValueUtil;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Measures the stall a failure causes: the time from the failure to the next write that moved a
 * cycle on (a status, phase, iteration or step changed; a lease renewal does not count), by the
 * server's own timestamp of that write (the same machine's clock).
 *
 * <p>A watch of the cycles bucket keeps every cycle's last fingerprint, which {@link #mark} takes
 * just before a failure. The writes after it are then read from the bucket's stream one by one, by
 * sequence, not from the watch: the watch's consumer lives on one node, and after that node or the
 * test's connection went down it missed the first writes (on 2026-12-07 it reported 11.6 s and 14.5
 * s for failures after which the services' logs show cycles committed within 0.5 s; its heartbeat
 * alarm came 27 s after the first of them).
 */
final class CommitWatch implements AutoCloseable, KeyValueWatcher {
  private static final String CYCLES_STREAM = NatsKeyValueUtil.toStreamName(Topology.CYCLES_BUCKET);
  private static final String KEY_SUBJECT_PREFIX =
      NatsKeyValueUtil.toKeyPrefix(Topology.CYCLES_BUCKET);

  private final Connection nc;
  private final Map<String, String> fingerprints = new HashMap<>();
  private long lastRevision;
  private final NatsKeyValueWatchSubscription subscription;

  /** When a failure began, and the bucket as the watch had it then. */
  record Mark(Instant at, long revision, Map<String, String> fingerprints) {}

  CommitWatch(Connection nc) throws Exception {
    this.nc = nc;
    subscription =
        // Cycle keys only: the bucket's lock.<hash> keys hold a cycle id, not a state.
        nc.keyValue(Topology.CYCLES_BUCKET)
            .watch(Topology.CYCLE_KEY_PREFIX + "*", this, KeyValueWatchOption.UPDATES_ONLY);
  }

  @Override
  public synchronized void watch(KeyValueEntry entry) {
    lastRevision = Math.max(lastRevision, entry.getRevision());
    if (entry.getOperation() == KeyValueOperation.PUT && entry.getValue() != null) {
      fingerprints.put(entry.getKey(), fingerprint(CycleStore.decode(entry.getValue())));
    }
  }

  @Override
  public void endOfData() {}

  /** Call just before the failure. */
  synchronized Mark mark() {
    return new Mark(Instant.now(), lastRevision, Map.copyOf(fingerprints));
  }

  /** The time from {@code failure} to the first progress committed after it. */
  Duration stallAfter(Mark failure, Duration timeout) {
    StreamWalk walk = new StreamWalk(failure);
    Instant next =
        Await.value(timeout, "a cycle to move on after " + failure.at(), walk::firstProgress);
    return Duration.between(failure.at(), next);
  }

  /** The writes after a mark, read in order from the stream (from its leader or any replica). */
  private final class StreamWalk {
    private final Mark failure;
    private final Map<String, String> seen;
    private long sequence;

    StreamWalk(Mark failure) {
      this.failure = failure;
      this.seen = new HashMap<>(failure.fingerprints());
      this.sequence = failure.revision() + 1;
    }

    /** The commit time of the first progress after the failure, or null when none is stored yet. */
    Instant firstProgress() {
      try {
        JetStreamManagement jsm = nc.jetStreamManagement();
        while (true) {
          MessageInfo message;
          try {
            message = jsm.getMessage(CYCLES_STREAM, sequence);
          } catch (JetStreamApiException e) {
            if (!JetStreamErrors.is(e, JetStreamErrors.NO_MESSAGE_FOUND)
                || sequence > jsm.getStreamInfo(CYCLES_STREAM).getStreamState().getLastSequence()) {
              return null; // not written yet, or the cluster cannot answer now: ask again
            }
            sequence++; // a revision the bucket's history limit removed since
            continue;
          }
          sequence++;
          Instant progress = progress(message);
          if (progress != null) {
            return progress;
          }
        }
      } catch (IOException | JetStreamApiException e) {
        return null; // the cluster cannot answer now: ask again
      }
    }

    private Instant progress(MessageInfo message) {
      String key = message.getSubject().substring(KEY_SUBJECT_PREFIX.length());
      if (!key.startsWith(Topology.CYCLE_KEY_PREFIX)
          || message.getData() == null
          || message.getData().length == 0) {
        return null; // a lock key, or a delete or purge marker
      }
      String fingerprint = fingerprint(CycleStore.decode(message.getData()));
      String before = seen.put(key, fingerprint);
      Instant committed = message.getTime().toInstant();
      boolean moved = !fingerprint.equals(before);
      return moved && committed.isAfter(failure.at()) ? committed : null;
    }
  }

  private static String fingerprint(CycleState s) {
    StringBuilder f =
        new StringBuilder(s.status() + "/" + s.phase() + "/" + s.iteration() + "/" + s.attempts());
    if (!s.iterations().isEmpty()) {
      for (StepRecord step : s.currentIteration().executionOrEmpty().steps()) {
        f.append(' ').append(step.id()).append('=').append(step.status());
      }
    }
    return f.toString();
  }

  @Override
  public void close() {
    subscription.unsubscribe();
  }
}
