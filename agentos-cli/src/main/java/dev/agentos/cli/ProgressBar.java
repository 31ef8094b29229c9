package dev.agentos.cli;

/** {@code [=======> ] 2/3}: how many of a cycle's steps are done. */
public final class ProgressBar {
  private ProgressBar() {}

  /**
   * A bar {@code width} characters wide between brackets; {@code done} is clamped to {@code
   * 0..total}, and an empty plan shows an empty bar.
   */
  public static String render(int done, int total, int width) {
    if (width < 1) {
      throw new IllegalArgumentException("width must be positive, not " + width);
    }
    int clamped = Math.max(0, Math.min(done, total));
    int filled = total <= 0 ? 0 : (int) Math.round((double) width * clamped / total);
    StringBuilder bar = new StringBuilder("[");
    if (filled == width) {
      bar.append("=".repeat(width));
    } else if (filled > 0) {
      bar.append("=".repeat(filled - 1)).append('>').append(" ".repeat(width - filled));
    } else {
      bar.append(" ".repeat(width));
    }
    return bar.append(']').toString();
  }
}
