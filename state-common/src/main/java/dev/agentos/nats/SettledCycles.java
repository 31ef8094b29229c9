package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
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
import io.nats.client.support.NatsKeyValueUtil;
import java.io.IOException;
import java.time.Instant;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

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
 */
public final class SettledCycles implements AutoCloseable {
  /** The value of a key whose latest revision is not settled. */
  private static final Instant UNSETTLED = Instant.EPOCH;

  // Sorted, so that a page of `list` (newest id first) is read off it without sorting every key.
  private final ConcurrentNavigableMap<String, Instant> keys = new ConcurrentSkipListMap<>();
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
      keys.remove(cycleId);
    } else if (message.hasHeaders()
        && message.getHeaders().getFirst(CycleStore.SETTLED_HEADER) != null) {
      keys.put(cycleId, message.metaData().timestamp().toInstant());
    } else {
      keys.put(cycleId, UNSETTLED);
    }
    if (message.metaData().pendingCount() == 0) {
      loaded = true;
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
    return loaded ? Optional.of(keys.keySet()) : Optional.empty();
  }

  /** How many known cycle keys are settled. */
  public long settledCount() {
    return keys.values().stream().filter(at -> at != UNSETTLED).count();
  }

  /** When the latest revision of {@code cycleId} was settled; empty if it is not (or unknown). */
  public Optional<Instant> settledAt(String cycleId) {
    Instant at = keys.get(cycleId);
    return at == null || at == UNSETTLED ? Optional.empty() : Optional.of(at);
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
    keys.forEach((id, at) -> each.accept(id, at == UNSETTLED ? null : at));
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
