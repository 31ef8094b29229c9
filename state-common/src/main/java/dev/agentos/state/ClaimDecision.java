package dev.agentos.state;

import java.time.Instant;

/** What a worker may do with a work message, decided against the cycle's state. */
public sealed interface ClaimDecision {
  /** The worker owns the phase now; {@code state} carries its lease. */
  record Claimed(CycleState state) implements ClaimDecision {}

  /** The message no longer matches the state (a duplicate, or the cycle moved on): drop it. */
  record Stale(String reason) implements ClaimDecision {}

  /** Another live worker holds the phase until {@code until}: come back after that. */
  record Busy(String owner, Instant until) implements ClaimDecision {}

  /** The phase was started too many times: the cycle must fail instead. */
  record Exhausted(int attempts) implements ClaimDecision {}
}
