package dev.agentos.nats;

import io.nats.client.KeyValue;
import java.util.function.UnaryOperator;

/**
 * Writes a document people edit (a standard, an instruction): the newest edit replaces the old one,
 * but still through {@link CompareAndSet} — never a blind put, so two edits racing each other are
 * applied one after the other instead of one silently vanishing between a read and a write.
 */
public final class KvDocuments {
  private KvDocuments() {}

  /**
   * Stores {@code value} under {@code key}, whatever was there; returns the new revision. CONFLICT
   * when other writers kept winning the race.
   */
  public static long replace(KeyValue kv, String key, byte[] value) {
    UnaryOperator<byte[]> replace = current -> value;
    return new CompareAndSet<>(kv, UnaryOperator.identity(), UnaryOperator.identity())
        .update(key, replace)
        .revision();
  }
}
