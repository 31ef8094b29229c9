package dev.agentos.state;

/** Per-cycle limits; a null field means no limit. */
public record Budget(Long tokens, Double costUsd, Long wallSeconds) {
  public static Budget unlimited() {
    return new Budget(null, null, null);
  }
}
