package dev.agentos.process;

/**
 * How much of a child process's output is kept in memory.
 *
 * @param headBytes the first bytes of each stream, kept whole
 * @param tailBytes the last bytes of each stream, kept in a ring
 * @param wholeBytes the whole stream up to this many bytes, for callers that store it in the object
 *     store; 0 keeps none
 */
public record ProcessLimits(int headBytes, int tailBytes, int wholeBytes) {
  /**
   * 2 MiB per stream at most in the head and tail (an agent's answer of up to 2 MiB stays whole), 4
   * MiB of the whole for the object store.
   */
  public static final ProcessLimits DEFAULT = new ProcessLimits(1 << 20, 1 << 20, 4 << 20);

  public ProcessLimits {
    if (headBytes < 0 || tailBytes < 0 || wholeBytes < 0) {
      throw new IllegalArgumentException(
          "process output limits must not be negative: head "
              + headBytes
              + ", tail "
              + tailBytes
              + ", whole "
              + wholeBytes);
    }
  }
}
