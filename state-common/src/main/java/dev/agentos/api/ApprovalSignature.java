package dev.agentos.api;

import dev.agentos.state.Gate;
import io.nats.client.NKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

/**
 * What an approver signs, and how: the text {@code agentos-approval/v1\n<cycle_id>\n<GATE>\n
 * <approve|reject>\n<signed_at>} (signed_at as ISO-8601, e.g. {@code 2026-12-07T08:00:00Z}), signed
 * with the Ed25519 key of the approver's NATS user nkey seed, base64url without padding, as {@code
 * nk -sign} prints it. The one place the text is spelled.
 */
public final class ApprovalSignature {
  public static final String VERSION = "agentos-approval/v1";

  private ApprovalSignature() {}

  public static String text(String cycleId, Gate gate, boolean approved, Instant signedAt) {
    return VERSION
        + "\n"
        + cycleId
        + "\n"
        + gate.name()
        + "\n"
        + (approved ? "approve" : "reject")
        + "\n"
        + signedAt;
  }

  /** Signs {@code text} with a user nkey seed ({@code SU...}). */
  public static String sign(char[] seed, String text) {
    try {
      NKey key = NKey.fromSeed(seed);
      byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "not a NATS nkey seed (a line starting SU, as `nk -gen user` writes)", e);
    }
  }

  /** The public key ({@code U...}) of a seed. */
  public static String publicKey(char[] seed) {
    try {
      return new String(NKey.fromSeed(seed).getPublicKey());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "not a NATS nkey seed (a line starting SU, as `nk -gen user` writes)", e);
    }
  }

  /** Whether {@code signature} (base64url or base64) is {@code publicKey}'s over {@code text}. */
  public static boolean verifies(String publicKey, String text, String signature) {
    try {
      byte[] raw = decode(signature);
      return NKey.fromPublicKey(publicKey.toCharArray())
          .verify(text.getBytes(StandardCharsets.UTF_8), raw);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] decode(String signature) {
    String trimmed = signature.trim().replace("=", "");
    return trimmed.contains("+") || trimmed.contains("/")
        ? Base64.getDecoder().decode(trimmed + "==".substring(0, (4 - trimmed.length() % 4) % 4))
        : Base64.getUrlDecoder().decode(trimmed);
  }
}
