package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.JetStreamErrors;
import dev.agentos.nats.Topology;
import dev.agentos.state.ArtifactRef;
import io.nats.client.Connection;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code agentos-artifacts} object store: transcripts, diffs and recaps too large for the cycle
 * state. State keeps only an {@link ArtifactRef}: name, size and SHA-256.
 */
public final class Artifacts {
  /** Anything larger than this goes to the object store instead of into state. */
  public static final int INLINE_LIMIT = 16 * 1024;

  private final ObjectStore store;

  public Artifacts(ObjectStore store) {
    this.store = store;
  }

  public static Artifacts open(Connection nc) {
    try {
      return new Artifacts(nc.objectStore(Topology.ARTIFACTS_STORE));
    } catch (Exception e) {
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "cannot open the artifact store", e);
    }
  }

  public ArtifactRef put(String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      store.put(name, bytes);
      return new ArtifactRef(name, bytes.length, sha256(bytes));
    } catch (Exception e) {
      // STORAGE_FULL when the store is at its maximum size: the worker then keeps its claim and
      // pauses the cycle rather than run the agent that made the artifact again.
      throw JetStreamErrors.failure(
          "store artifact " + name + " in the object store " + Topology.ARTIFACTS_STORE, e);
    }
  }

  public String get(String name) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.get(name, out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new AgentOsException(
          ErrorCode.NOT_FOUND, "cannot read artifact " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * At most {@code maxBytes} of artifact {@code name} from byte {@code offset} on, and its whole
   * size; empty when there is no such artifact. The rest of the object streams past without being
   * kept, so a reader of a large transcript holds one window of it, not all of it.
   */
  public Optional<Window> window(String name, long offset, int maxBytes) {
    try {
      ObjectInfo info = store.getInfo(name);
      if (info == null || info.isDeleted()) {
        return Optional.empty();
      }
      if (offset < 0 || offset > info.getSize()) {
        throw AgentOsException.invalid(
            "offset "
                + offset
                + " is outside artifact "
                + name
                + " of "
                + info.getSize()
                + " bytes");
      }
      WindowStream out = new WindowStream(offset, maxBytes);
      store.get(name, out);
      return Optional.of(new Window(info.getSize(), out.kept.toByteArray()));
    } catch (AgentOsException e) {
      throw e;
    } catch (Exception e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE, "cannot read artifact " + name + ": " + e.getMessage(), e);
    }
  }

  /** Part of an artifact: {@code bytes} from the requested offset, of {@code size} in all. */
  public record Window(long size, byte[] bytes) {}

  /** Keeps the bytes from {@code offset} to {@code offset + max}, drops the others. */
  private static final class WindowStream extends OutputStream {
    private final long from;
    private final long to;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long at;

    WindowStream(long offset, int max) {
      this.from = offset;
      this.to = offset + max;
    }

    @Override
    public void write(int b) {
      if (at >= from && at < to) {
        kept.write(b);
      }
      at++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      long start = Math.max(at, from);
      long end = Math.min(at + len, to);
      if (start < end) {
        kept.write(b, off + (int) (start - at), (int) (end - start));
      }
      at += len;
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
