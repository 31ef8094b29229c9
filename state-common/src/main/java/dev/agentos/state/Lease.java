package dev.agentos.state;

import java.time.Instant;

/** Which worker owns the current phase, and until when unless it renews the claim. */
public record Lease(String owner, Instant until) {
  public boolean isHeldBy(String worker) {
    return owner.equals(worker);
  }

  public boolean isLiveAt(Instant now) {
    return until.isAfter(now);
  }
}
