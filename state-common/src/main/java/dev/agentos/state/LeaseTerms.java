package dev.agentos.state;

import java.time.Duration;

/**
 * How long a claim's lease lasts, and how long past its expiry other workers still count it as
 * held: the margin for clocks that disagree. A holder renews well before the expiry (a third of the
 * length), so the margin only delays the takeover of a dead worker's phase.
 */
public record LeaseTerms(Duration length, Duration skew) {
  public LeaseTerms {
    if (length.isNegative() || length.isZero() || skew.isNegative()) {
      throw new IllegalArgumentException(
          "a lease needs a positive length and a skew of zero or more, not " + length + "/" + skew);
    }
  }

  /** Terms without a margin: for tests and tools whose clocks are one. */
  public static LeaseTerms exact(Duration length) {
    return new LeaseTerms(length, Duration.ZERO);
  }
}
