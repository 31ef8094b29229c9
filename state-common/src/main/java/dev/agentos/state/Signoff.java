package dev.agentos.state;

import java.time.Instant;

/**
 * A person's decision at an approval gate, as recorded in the state: who (the public nkey that
 * signed it, or null for an unsigned approval of a project without approvers), what, and the
 * signature that proves it.
 *
 * @param signedAt the time inside the signed text
 * @param signature base64url Ed25519 signature of {@code ApprovalSignature.text(...)}
 */
public record Signoff(
    Gate gate,
    int iteration,
    boolean approved,
    String approver,
    String signature,
    Instant signedAt,
    Instant recordedAt) {}
