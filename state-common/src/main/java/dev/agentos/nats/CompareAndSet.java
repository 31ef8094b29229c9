package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one read-modify-write of a KV key: read the value and its revision, decide the new value, and
 * write it as a create (no value yet) or an update with the revision read. When somebody else wrote
 * in between, wait a short random time and do it all again; after {@value #MAX_ATTEMPTS} lost races
 * give up with {@link ErrorCode#CONFLICT}, which the caller must handle (nothing is dropped
 * silently).
 *
 * @param <T> the decoded value
 */
public final class CompareAndSet<T> {
  static final int MAX_ATTEMPTS = 200;
  private static final long MAX_BACKOFF_MICROS = 20_000;

  private final KeyValue kv;
  private final Function<byte[], T> decode;
  private final Function<T, byte[]> encode;
  private final Replace<T> replace;

  /**
   * How a value replaces revision {@code expected} (not 0) of {@code key}, returning the new
   * revision: a KV update, unless the store writes headers with its values.
   */
  @FunctionalInterface
  public interface Replace<T> {
    long write(String key, T value, byte[] bytes, long expected)
        throws IOException, JetStreamApiException;
  }

  public CompareAndSet(KeyValue kv, Function<byte[], T> decode, Function<T, byte[]> encode) {
    this(
        kv,
        decode,
        encode,
        (key, value, bytes, expected) ->
            JetStreamRetry.transientFailures(() -> kv.update(key, bytes, expected)));
  }

  public CompareAndSet(
      KeyValue kv, Function<byte[], T> decode, Function<T, byte[]> encode, Replace<T> replace) {
    this.kv = kv;
    this.decode = decode;
    this.encode = encode;
    this.replace = replace;
  }

  /** A value with the revision it was read or written at; {@code value} null when there is none. */
  public record Read<T>(String key, T value, long revision) {}

  /** The value of {@code key}, if it has one (a deleted key has none). */
  public Optional<Read<T>> get(String key) {
    try {
      KeyValueEntry entry = JetStreamRetry.transientFailures(() -> kv.get(key));
      if (entry == null || entry.getValue() == null) {
        return Optional.empty();
      }
      return Optional.of(new Read<>(key, decode.apply(entry.getValue()), entry.getRevision()));
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("read " + key, e);
    }
  }

  /**
   * Reads {@code key}, applies {@code change} (to null when the key has no value) and writes the
   * result with the revision read. {@code change} may run several times, so it must be a pure
   * function of the value it gets. When it returns its argument (the same instance), nothing is
   * written and the read is returned. Exceptions thrown by {@code change} abort the update.
   */
  public Read<T> update(String key, UnaryOperator<T> change) {
    return update(key, change, null);
  }

  /**
   * Like {@link #update(String, UnaryOperator)}, but first tries the value and revision the caller
   * already holds (say, its own last write), which saves the read when nobody wrote in between.
   */
  public Read<T> update(Read<T> known, UnaryOperator<T> change) {
    return update(known.key(), change, known);
  }

  private Read<T> update(String key, UnaryOperator<T> change, Read<T> known) {
    Read<T> current = known;
    for (int attempt = 1; ; attempt++) {
      if (current == null) {
        current = get(key).orElse(new Read<>(key, null, 0));
      }
      T next = change.apply(current.value());
      if (next == current.value()) {
        return current;
      }
      try {
        byte[] bytes = encode.apply(next);
        // Revision 0 is "no value": create, which also takes the place of a deleted value.
        long expected = current.revision();
        long revision =
            expected == 0
                ? JetStreamRetry.noResponders(() -> kv.create(key, bytes))
                : replace.write(key, next, bytes, expected);
        return new Read<>(key, next, revision);
      } catch (JetStreamApiException e) {
        if (!JetStreamErrors.isConflict(e)) {
          throw unavailable("write " + key, e);
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new AgentOsException(
              ErrorCode.CONFLICT,
              key + " kept changing under " + attempt + " attempts to update it; try again",
              e);
        }
        backOff(attempt);
      } catch (IOException e) {
        throw unavailable("write " + key, e);
      }
      current = null;
    }
  }

  private static void backOff(int attempt) {
    // Full jitter keeps competing writers from retrying in lock-step.
    long ceiling = Math.min(MAX_BACKOFF_MICROS, 100L << Math.min(attempt, 10));
    long micros = ThreadLocalRandom.current().nextLong(ceiling + 1);
    try {
      Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted during a KV update", e);
    }
  }

  private static AgentOsException unavailable(String what, Exception cause) {
    return JetStreamErrors.failure(what, cause);
  }
}
