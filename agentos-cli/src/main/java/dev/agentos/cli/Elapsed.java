package dev.agentos.cli;

import java.time.Duration;

/** Durations the way a person reads them on a progress line: {@code 00:42}, {@code 1:02:03}. */
public final class Elapsed {
  private Elapsed() {}

  public static String clock(Duration duration) {
    long seconds = Math.max(0, duration.getSeconds());
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    return hours > 0
        ? String.format("%d:%02d:%02d", hours, minutes, secs)
        : String.format("%02d:%02d", minutes, secs);
  }

  /** A short human form: {@code 850ms}, {@code 3.2s}, {@code 4m12s}, {@code 2h05m}. */
  public static String brief(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format("%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format("%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  public static String seconds(double seconds) {
    return brief(Duration.ofMillis(Math.round(seconds * 1000)));
  }
}
