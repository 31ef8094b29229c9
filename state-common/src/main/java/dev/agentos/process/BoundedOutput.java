package dev.agentos.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One output stream of a child process, kept as a head and a tail of bounded size (plus the whole
 * stream up to a cap), however much the process writes: an agent printing a gibibyte costs the
 * service a few mebibytes. Buffers grow as output comes, so a short git answer costs little.
 * Written by one reader thread, read by the caller afterwards.
 */
final class BoundedOutput {
  private final int headCap;
  private final int tailCap;
  private final int wholeCap;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private final ByteArrayOutputStream whole = new ByteArrayOutputStream();
  private byte[] tail;
  private long tailWritten;
  private long total;

  BoundedOutput(ProcessLimits limits) {
    this.headCap = limits.headBytes();
    this.tailCap = limits.tailBytes();
    this.wholeCap = limits.wholeBytes();
  }

  synchronized void write(byte[] bytes, int offset, int length) {
    total += length;
    if (whole.size() < wholeCap) {
      whole.write(bytes, offset, Math.min(length, wholeCap - whole.size()));
    }
    int toHead = Math.min(length, headCap - head.size());
    head.write(bytes, offset, toHead);
    int from = offset + toHead;
    int rest = length - toHead;
    if (tailCap == 0 || rest == 0) {
      return;
    }
    if (tail == null) {
      tail = new byte[tailCap];
    }
    if (rest > tailCap) {
      // Only the last tailCap bytes of this chunk can survive in the ring.
      tailWritten += rest - tailCap;
      from += rest - tailCap;
      rest = tailCap;
    }
    while (rest > 0) {
      int at = (int) (tailWritten % tailCap);
      int n = Math.min(rest, tailCap - at);
      System.arraycopy(bytes, from, tail, at, n);
      from += n;
      rest -= n;
      tailWritten += n;
    }
  }

  /** What was kept so far; the reader may still be writing. */
  synchronized ProcessOutput snapshot() {
    int tailKept = (int) Math.min(tailWritten, tailCap);
    ByteArrayOutputStream last = new ByteArrayOutputStream(tailKept);
    long start = tailWritten - tailKept;
    for (int i = 0; i < tailKept; ) {
      int at = (int) ((start + i) % tailCap);
      int n = Math.min(tailKept - i, tailCap - at);
      last.write(tail, at, n);
      i += n;
    }
    if (total <= (long) headCap + tailCap) {
      // Decoded as one piece, so a character split between head and tail stays whole.
      ByteArrayOutputStream all = new ByteArrayOutputStream(head.size() + tailKept);
      all.writeBytes(head.toByteArray());
      all.writeBytes(last.toByteArray());
      return new ProcessOutput(
          all.toString(StandardCharsets.UTF_8), "", total, whole.toByteArray(), false);
    }
    return new ProcessOutput(
        head.toString(StandardCharsets.UTF_8),
        last.toString(StandardCharsets.UTF_8),
        total,
        whole.toByteArray(),
        true);
  }
}
