package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Status;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsKeyValueUtil;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Every key of {@code agentos-cycles} and whether its latest revision is <em>settled</em>: written
 * by {@link CycleStore#settle} with the {@value CycleStore#SETTLED_HEADER} header, which says the
 * cycle had ended and its ending was recorded when that revision was written. The reconciler reads
 * only the cycles that are not settled, so ended cycles cost its sweep nothing however many there
 * are. The same keys, sorted, give {@code list} its pages without listing the bucket.
 *
 * <p>Kept from a headers-only ordered consumer: the latest message of each cycle key, then every
 * new one as it is written, without the values (about 150 bytes a cycle). The status rides on the
 * message itself, so it can never disagree with the revision it describes: a resumed or rewritten
 * cycle's next revision has no header and is read again. After a lost connection or a leader
 * election the client restarts the consumer from the last stream sequence it saw, so no write is
 * missed, only seen late.
 *
 * <p>Every write also says the cycle's status in a header ({@link CycleStore#STATUS_HEADER}), so
 * the same deliveries give the counts by status of the {@code agentos_cycles} gauge in every
 * process that follows the bucket, with no KV watch of the states themselves.
 */
public final class SettledCycles implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SettledCycles.class);

  private final CycleKeys keys = new CycleKeys();
  private final Connection nc;
  private final String subjectPrefix;
  private final Dispatcher dispatcher;
  private final JetStreamSubscription subscription;
  private volatile boolean loaded;

  private SettledCycles(Connection nc) throws IOException, JetStreamApiException {
    this.nc = nc;
    String bucketPrefix = NatsKeyValueUtil.toKeyPrefix(Topology.CYCLES_BUCKET);
    this.subjectPrefix = bucketPrefix + Topology.CYCLE_KEY_PREFIX;
    this.dispatcher = nc.createDispatcher();
    PushSubscribeOptions options =
        PushSubscribeOptions.builder().stream(NatsKeyValueUtil.toStreamName(Topology.CYCLES_BUCKET))
            .ordered(true)
            .configuration(
                ConsumerConfiguration.builder()
                    .ackPolicy(AckPolicy.None)
                    .deliverPolicy(DeliverPolicy.LastPerSubject)
                    .headersOnly(true)
                    .build())
            .build();
    this.subscription =
        JetStreamRetry.transientFailures(
            () ->
                nc.jetStream()
                    .subscribe(subjectPrefix + ">", dispatcher, this::onMessage, false, options));
    ConsumerInfo info = JetStreamRetry.transientFailures(subscription::getConsumerInfo);
    if (info.getNumPending() == 0 && info.getDelivered().getStreamSequence() == 0) {
      loaded = true; // nothing to deliver: an empty bucket
    }
  }

  /** Starts following the bucket; {@link #loaded()} says when its current keys are all in. */
  public static SettledCycles follow(Connection nc) {
    try {
      return new SettledCycles(nc);
    } catch (IOException | JetStreamApiException e) {
      throw JetStreamErrors.failure("follow the cycles bucket", e);
    }
  }

  private void onMessage(Message message) {
    String cycleId = message.getSubject().substring(subjectPrefix.length());
    KeyValueOperation operation =
        message.hasHeaders()
            ? NatsKeyValueUtil.getOperation(message.getHeaders())
            : KeyValueOperation.PUT;
    if (operation != KeyValueOperation.PUT) {
      keys.removed(cycleId);
    } else {
      Headers headers = message.hasHeaders() ? message.getHeaders() : new Headers();
      String settled = headers.getFirst(CycleStore.SETTLED_HEADER);
      // A revision settled before writes said their status says it in the settled header.
      String status = headers.getFirst(CycleStore.STATUS_HEADER);
      keys.written(
          cycleId,
          message.metaData().streamSequence(),
          statusNamed(status != null ? status : settled),
          settled == null ? null : message.metaData().timestamp().toInstant());
    }
    if (message.metaData().pendingCount() == 0) {
      loaded = true;
    }
  }

  private static Status statusNamed(String name) {
    try {
      return name == null ? null : Status.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null; // a status this version does not know: in no count
    }
  }

  /** Whether every key the bucket held when this started has been seen (later ones follow). */
  public boolean loaded() {
    return loaded;
  }

  /** How many cycle keys are known, settled or not. */
  public int size() {
    return keys.size();
  }

  /**
   * Every known cycle id in ascending order, a live view (ids written meanwhile may or may not be
   * in it); empty until the bucket's keys are loaded.
   */
  public Optional<NavigableSet<String>> ids() {
    return loaded ? Optional.of(keys.ids()) : Optional.empty();
  }

  /** How many known cycle keys are settled. */
  public long settledCount() {
    return keys.settledCount();
  }

  /** When the latest revision of {@code cycleId} was settled; empty if it is not (or unknown). */
  public Optional<Instant> settledAt(String cycleId) {
    CycleKeys.Entry entry = keys.get(cycleId);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.settledAt());
  }

  /**
   * How many cycles are in {@code status}, from the statuses their latest writes carry; empty until
   * the bucket's keys are loaded. Every process following the bucket counts the same, without
   * reading a single state: this is what the {@code agentos_cycles} gauge reports.
   */
  public OptionalLong statusCount(Status status) {
    return loaded ? OptionalLong.of(keys.count(status)) : OptionalLong.empty();
  }

  /**
   * Reads the state of up to {@code max} cycles whose latest revision did not say its status (it
   * was written by an older version), so that they are counted too. Each such revision is read
   * once; a state that cannot be decoded is left out of the counts, and a read that NATS did not
   * answer is tried again on the next call. Returns how many were read.
   */
  public int readMissingStatuses(CycleStore store, int max) {
    List<Map.Entry<String, Long>> unknown = keys.statusUnknown(max);
    for (Map.Entry<String, Long> key : unknown) {
      Status status = null;
      try {
        status =
            store
                .get(key.getKey())
                .filter(v -> v.revision() == key.getValue())
                .map(v -> v.state().status())
                .orElse(null);
      } catch (RuntimeException e) {
        if (e instanceof AgentOsException failure && failure.code() == ErrorCode.UNAVAILABLE) {
          throw e; // NATS did not answer: the next call tries again
        }
        LOG.warnf(
            "cycle=%s: its state cannot be read, not counted in the gauges: %s", key.getKey(), e);
      }
      keys.learn(key.getKey(), key.getValue(), status);
    }
    return unknown.size();
  }

  /**
   * Calls {@code each} with every known cycle id and the time its latest revision was settled (null
   * when it is not). Keys written meanwhile may or may not be included.
   */
  public void forEach(BiConsumer<String, Instant> each) {
    if (!loaded) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE, "the cycles bucket's keys are still being loaded");
    }
    keys.view().forEach((id, entry) -> each.accept(id, entry.settledAt()));
  }

  @Override
  public void close() {
    try {
      dispatcher.unsubscribe(subscription);
      nc.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      // The connection is closing already: the subscription goes with it.
    }
  }
}
