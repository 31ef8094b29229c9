package dev.agentos.state;

import java.time.Instant;

/** The gate a cycle in AWAITING_APPROVAL waits at. */
public record PendingApproval(Gate gate, Instant requestedAt) {}
