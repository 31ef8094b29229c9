package dev.agentos.state;

/** What agent work cost: tokens, money and wall time. */
public record Usage(long tokensIn, long tokensOut, double costUsd, double wallSeconds) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public Usage plus(Usage other) {
    if (other == null) {
      return this;
    }
    return new Usage(
        tokensIn + other.tokensIn,
        tokensOut + other.tokensOut,
        costUsd + other.costUsd,
        wallSeconds + other.wallSeconds);
  }

  public long tokens() {
    return tokensIn + tokensOut;
  }
}
