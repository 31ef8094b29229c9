package dev.agentos.nats;

import dev.agentos.state.CycleState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The cycle states this process decoded or wrote lately, by their stored bytes. A state is read far
 * more often than it changes (every reconciler sweep of every service reads each running cycle, and
 * a worker's own write comes back to it in the next read), and decoding one cost more than the KV
 * round trip that fetched it. Keyed by the whole document, not by key and revision, so a hit is the
 * decoding of those very bytes whatever happened to the bucket meanwhile: comparing 2 KB is a small
 * fraction of decoding them.
 */
final class DecodedStates {
  /** Enough for every cycle a service works on or sweeps at the bench's 50 in flight, and more. */
  static final int CAPACITY = 512;

  private final Map<Document, CycleState> states =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Document, CycleState> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The state {@code bytes} hold: decoded by {@code decode} unless they were seen lately. */
  CycleState decode(byte[] bytes, Function<byte[], CycleState> decode) {
    Document document = new Document(bytes);
    CycleState known;
    synchronized (states) {
      known = states.get(document);
    }
    if (known != null) {
      return known;
    }
    CycleState state = decode.apply(bytes);
    remember(document, state);
    return state;
  }

  /**
   * {@code state} was encoded as {@code bytes} for a write: a read of those bytes returns it. The
   * state a worker holds after its write is the one it wrote, not a decoding of it, so readers in
   * this process get the same.
   */
  void encoded(byte[] bytes, CycleState state) {
    remember(new Document(bytes), state);
  }

  private void remember(Document document, CycleState state) {
    synchronized (states) {
      states.put(document, state);
    }
  }

  /** Stored bytes, compared by content. The arrays are never changed once stored or read. */
  private static final class Document {
    private final byte[] bytes;
    private final int hash;

    Document(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Document d && d.hash == hash && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
