package dev.agentos.nats;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;

/**
 * Writes a document people edit (a standard, an instruction): the newest edit replaces the old one,
 * but still as a create or an update with the revision read — never a blind put, so two edits
 * racing each other are applied one after the other instead of one silently vanishing between a
 * read and a write.
 */
public final class KvDocuments {
  private static final int ATTEMPTS = 20;

  private KvDocuments() {}

  /** Stores {@code value} under {@code key}, whatever was there; returns the new revision. */
  public static long replace(KeyValue kv, String key, byte[] value) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        KeyValueEntry current = kv.get(key);
        return current == null || current.getValue() == null
            ? kv.create(key, value)
            : kv.update(key, value, current.getRevision());
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != CycleStore.WRONG_LAST_SEQUENCE) {
          throw unavailable(key, e);
        }
      } catch (IOException e) {
        throw unavailable(key, e);
      }
    }
    throw new AgentOsException(
        ErrorCode.CONFLICT, key + " kept changing under " + ATTEMPTS + " attempts to write it");
  }

  private static AgentOsException unavailable(String key, Exception e) {
    return new AgentOsException(
        ErrorCode.UNAVAILABLE, "cannot write " + key + ": " + e.getMessage(), e);
  }
}
