package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Cycle ids: sortable by creation time, safe in a KV key and a subject token. */
public final class CycleIds {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{2,63}");
  private static final Pattern RESERVED_LINK = Pattern.compile(".+-l[0-9]+");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private CycleIds() {}

  public static String next(Instant now) {
    long random = ThreadLocalRandom.current().nextLong() >>> 16;
    return STAMP.format(now) + "-" + Long.toString(random, 36);
  }

  /** The id of the cycle a durable task message becomes: the same message, the same id. */
  public static String forTask(String streamIdentity, long sequence) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest((streamIdentity + "/" + sequence).getBytes(StandardCharsets.UTF_8));
      return "t-" + HexFormat.of().formatHex(digest, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public static String requireValid(String cycleId) {
    if (cycleId == null || cycleId.isBlank()) {
      throw AgentOsException.invalid("cycle_id is required");
    }
    if (!VALID.matcher(cycleId).matches()) {
      throw AgentOsException.invalid(
          "cycle_id '"
              + abbreviate(cycleId)
              + "' is not a cycle id: use 3-64 characters of a-z, 0-9 and '-'");
    }
    return cycleId;
  }

  /**
   * A valid id a caller may choose: not one ending in {@code -l<n>}, which the next link of a chain
   * gets ({@code <parent>-l2}, …); a submitted cycle with such an id would take a link's place.
   */
  public static String requireSubmittable(String cycleId) {
    requireValid(cycleId);
    if (RESERVED_LINK.matcher(cycleId).matches()) {
      throw AgentOsException.invalid(
          "cycle_id '"
              + cycleId
              + "' ends in -l<n>, which is reserved for the links of a chain (options.then);"
              + " choose another id, or leave cycle_id out for a new one");
    }
    return cycleId;
  }

  static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
