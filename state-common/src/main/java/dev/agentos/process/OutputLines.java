package dev.agentos.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Hands a child's output on line by line as it comes (for live output), each line cut at {@link
 * #MAX_LINE_BYTES}: a child that never prints a newline cannot make the service hold its whole
 * output twice. A listener that fails is not the child's failure: its exception is dropped.
 */
final class OutputLines {
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final Consumer<String> listener;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean cut;

  OutputLines(Consumer<String> listener) {
    this.listener = listener;
  }

  void write(byte[] chunk, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = chunk[i];
      if (b == '\n') {
        flush();
      } else if (line.size() < MAX_LINE_BYTES) {
        line.write(b);
      } else {
        cut = true;
      }
    }
  }

  /** Hands on what is left after the last newline. */
  void end() {
    if (line.size() > 0 || cut) {
      flush();
    }
  }

  private void flush() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    cut = false;
    try {
      listener.accept(text);
    } catch (RuntimeException e) {
      // live output is best effort; the whole output is still captured
    }
  }
}
