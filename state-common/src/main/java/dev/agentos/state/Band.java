package dev.agentos.state;

/** The Agent OS review bands: 90+ HIGH, 70–89 MEDIUM, 50–69 LOW, below 50 REQUIRES_ATTENTION. */
public enum Band {
  HIGH,
  MEDIUM,
  LOW,
  REQUIRES_ATTENTION;

  public static Band of(int score) {
    if (score >= 90) {
      return HIGH;
    }
    if (score >= 70) {
      return MEDIUM;
    }
    return score >= 50 ? LOW : REQUIRES_ATTENTION;
  }
}
