package dev.agentos.process;

/**
 * What a child process wrote on one stream, bounded.
 *
 * @param head the first bytes (as UTF-8, malformed bytes replaced)
 * @param tail the last bytes after the head; the two never overlap
 * @param totalBytes how many bytes the process wrote in all
 * @param whole the stream from its start up to the launcher's cap, for the object store
 * @param truncated whether bytes between the head and the tail were dropped
 */
public record ProcessOutput(
    String head, String tail, long totalBytes, byte[] whole, boolean truncated) {

  public static final ProcessOutput EMPTY = new ProcessOutput("", "", 0, new byte[0], false);

  /** The output as one text: all of it, or the head and tail around a note of what was left out. */
  public String text() {
    if (!truncated) {
      return head + tail;
    }
    long dropped =
        totalBytes
            - head.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            - tail.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return head + "\n…[" + Math.max(dropped, 0) + " bytes left out]…\n" + tail;
  }

  /** The last {@code chars} characters of the output, stripped, for error messages. */
  public String lastChars(int chars) {
    String all = text().strip();
    return all.length() <= chars ? all : "…" + all.substring(all.length() - chars);
  }

  /** Whether {@link #whole()} holds everything the process wrote. */
  public boolean wholeIsComplete() {
    return whole.length == totalBytes;
  }
}
