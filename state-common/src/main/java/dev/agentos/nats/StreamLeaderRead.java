package dev.agentos.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.support.NatsKeyValueUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the last value of a KV key from its stream's leader: the JetStream API's {@code
 * STREAM.MSG.GET}, which only the leader of a clustered stream answers.
 *
 * <p>A KV get is a direct get when the bucket allows it (ours do), and any replica answers a direct
 * get from what it has applied so far: on a three-node nats-server 2.9 cluster a worker read a
 * cycle one phase behind the hand-off it had just been given, the write before it acknowledged by
 * the leader long before. jnats' {@code JetStreamManagement.getLastMessage} turns into a direct get
 * too on such a stream, so the request is made here by hand.
 */
public final class StreamLeaderRead {
  private static final String API = "$JS.API.STREAM.MSG.GET.";

  private final Connection nc;
  private final String bucket;
  private final Duration timeout;

  public StreamLeaderRead(Connection nc, String bucket) {
    this.nc = nc;
    this.bucket = bucket;
    this.timeout = JetStreamOptions.DEFAULT_TIMEOUT;
  }

  /**
   * The last value of {@code key} and its revision, as the leader has it; empty when the key has
   * none (never written, deleted or purged).
   */
  public Optional<MessageInfo> last(String key) throws IOException, JetStreamApiException {
    String stream = NatsKeyValueUtil.toStreamName(bucket);
    byte[] request =
        MessageGetRequest.lastBySubjectBytes(NatsKeyValueUtil.toKeyPrefix(bucket) + key);
    return JetStreamRetry.transientFailures(() -> ask(stream, request));
  }

  private Optional<MessageInfo> ask(String stream, byte[] request)
      throws IOException, JetStreamApiException {
    Message reply;
    try {
      reply = nc.request(API + stream, request, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading from the leader of " + stream, e);
    }
    if (reply == null) {
      // The wording JetStreamErrors.timedOut knows (jnats' own): a leader election passes.
      throw new IOException("Timeout or no response waiting for the leader of " + stream);
    }
    MessageInfo info = new MessageInfo(reply, stream, false);
    if (info.hasError()) {
      if (info.getApiErrorCode() == JetStreamErrors.NO_MESSAGE_FOUND) {
        return Optional.empty();
      }
      info.throwOnHasError();
    }
    KeyValueOperation op =
        info.getHeaders() == null ? null : NatsKeyValueUtil.getOperation(info.getHeaders());
    return op == null || op == KeyValueOperation.PUT ? Optional.of(info) : Optional.empty();
  }
}
