package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One cycle at a time per local working tree: a key {@code lock.<hash of the directory>} in the
 * cycles bucket names the cycle that works there. It is taken with a create (or a compare-and-set
 * over a holder that has ended), so two submits racing for one tree cannot both win; it is never
 * released explicitly — a holder that reached a final status (or never came to exist) simply loses
 * it to the next submit, so no crash can leave a tree locked for good.
 */
final class WorkspaceLocks {
  private static final int TRIES = 5;

  private final KeyValue kv;

  WorkspaceLocks(KeyValue kv) {
    this.kv = kv;
  }

  /**
   * Takes the lock on {@code directory} for {@code cycleId}; returns the cycle that holds it
   * instead, if one does that {@code live} says is still working.
   */
  Optional<String> take(String directory, String cycleId, Predicate<String> live) {
    String key = Topology.workspaceLockKey(hash(directory));
    byte[] value = cycleId.getBytes(StandardCharsets.UTF_8);
    try {
      for (int attempt = 0; attempt < TRIES; attempt++) {
        KeyValueEntry entry = kv.get(key);
        if (entry == null || entry.getValue() == null) {
          if (tried(() -> kv.create(key, value))) {
            return Optional.empty();
          }
          continue;
        }
        String holder = new String(entry.getValue(), StandardCharsets.UTF_8);
        if (holder.equals(cycleId)) {
          return Optional.empty();
        }
        if (live.test(holder)) {
          return Optional.of(holder);
        }
        if (tried(() -> kv.update(key, value, entry.getRevision()))) {
          return Optional.empty();
        }
      }
    } catch (IOException | io.nats.client.JetStreamApiException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE, "cannot take the lock on " + directory + ": " + e.getMessage(), e);
    }
    throw new AgentOsException(
        ErrorCode.CONFLICT, "the lock on " + directory + " kept changing; submit again");
  }

  @FunctionalInterface
  private interface Write {
    long run() throws IOException, io.nats.client.JetStreamApiException;
  }

  /** Whether the write won; false when another writer got there first. */
  private static boolean tried(Write write)
      throws IOException, io.nats.client.JetStreamApiException {
    try {
      write.run();
      return true;
    } catch (io.nats.client.JetStreamApiException e) {
      if (JetStreamErrors.is(e, JetStreamErrors.WRONG_LAST_SEQUENCE)) {
        return false;
      }
      throw e;
    }
  }

  static String hash(String directory) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(directory.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
