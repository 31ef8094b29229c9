package dev.agentos.state;

import java.time.Instant;

/**
 * Which worker owns the current phase, and until when unless it renews the claim. A service's
 * owners are {@code <role>-<host>-<pid>/<thread slot>}: each worker thread is an owner of its own.
 */
public record Lease(String owner, Instant until) {
  /** Whether a thread of the process {@code pid} holds the lease. */
  public boolean isHeldByProcess(long pid) {
    return owner.endsWith("-" + pid) || owner.contains("-" + pid + "/");
  }

  public boolean isHeldBy(String worker) {
    return owner.equals(worker);
  }

  public boolean isLiveAt(Instant now) {
    return until.isAfter(now);
  }
}
