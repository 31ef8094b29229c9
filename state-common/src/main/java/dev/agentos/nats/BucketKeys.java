package dev.agentos.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.util.List;

/**
 * The keys of a KV bucket, from the server's own list of the subjects its stream holds: one
 * stream-info request (paged by the server at 100 000 subjects), answered under the stream's lock,
 * so a key written or rewritten while the list is made is never left out.
 *
 * <p>A last-per-key listing ({@code KeyValue.keys()}, a consumer that delivers each key's latest
 * message) skips a key whose listed message is replaced and removed before it is delivered, and
 * then ends early; it also asks the meta leader for a consumer, which a cluster answers slowly or
 * not at all while it elects one (the reconciler's sweeps failed with timeouts on three nodes).
 *
 * <p>A key whose last operation was a delete is listed too (its marker is a message); reading it
 * finds no value.
 */
public final class BucketKeys {
  private static final String KV_STREAM_PREFIX = "KV_";
  private static final String KV_SUBJECT_PREFIX = "$KV.";

  private final JetStreamManagement jsm;
  private final String stream;
  private final String subjectPrefix;

  public BucketKeys(JetStreamManagement jsm, String bucket) {
    this.jsm = jsm;
    this.stream = KV_STREAM_PREFIX + bucket;
    this.subjectPrefix = KV_SUBJECT_PREFIX + bucket + ".";
  }

  /** Every key that starts with {@code keyPrefix} (which ends with a dot), in no given order. */
  public List<String> list(String keyPrefix) throws IOException, JetStreamApiException {
    List<Subject> subjects =
        JetStreamRetry.transientFailures(
                () ->
                    jsm.getStreamInfo(
                        stream, StreamInfoOptions.filterSubjects(subjectPrefix + keyPrefix + ">")))
            .getStreamState()
            .getSubjects();
    return subjects == null
        ? List.of()
        : subjects.stream().map(s -> s.getName().substring(subjectPrefix.length())).toList();
  }

  /** The sequence of the bucket stream's latest message, 0 when it never held one. */
  public long lastSequence() throws IOException, JetStreamApiException {
    return JetStreamRetry.transientFailures(() -> jsm.getStreamInfo(stream))
        .getStreamState()
        .getLastSequence();
  }
}
