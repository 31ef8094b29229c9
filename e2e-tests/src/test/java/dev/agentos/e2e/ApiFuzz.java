package dev.agentos.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Bad requests for the control API: named cases, and random ones from a seed. */
final class ApiFuzz {
  static final List<String> ENDPOINTS =
      List.of("submit", "status", "list", "cancel", "resume", "retry", "approve");

  /** Client errors a bad request may get; anything else (INTERNAL, no reply) is a bug. */
  static final List<String> CLIENT_ERRORS =
      List.of("INVALID_REQUEST", "PAYLOAD_TOO_LARGE", "NOT_FOUND");

  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\"cycle_id\"",
    "\"approved\"",
    "\"budget\"",
    "\"workspace\"",
    "\"path\"",
    "null",
    "true",
    "-0",
    "1e999",
    "\"../../etc/passwd\"",
    "\\u0000",
    "\"\\ud800\"",
    " ",
    "\n",
    "\"\u00e9\u4e2d\""
  };

  private ApiFuzz() {}

  /** Named bad bodies every endpoint must refuse; WS stands for a real workspace path. */
  static List<String> namedCases() {
    return List.of(
        "{\"cycle_id\":",
        "null",
        "[]",
        "42",
        "{\"cycle_id\":{\"id\":1}}",
        "{\"cycle_id\":[\"x\"]}",
        "{\"cycle_id\":\"../../etc/passwd\"}",
        "{\"cycle_id\":\"cycle.>\"}",
        "{\"cycle_id\":\"20990101-000000-nope\",\"colour\":\"red\"}",
        "{\"cycle_id\":\"20990101-000000-nope\",\"approved\":\"yes\"}",
        "{\"cycle_id\":\"20990101-000000-nope\",\"budget\":{\"tokens\":-5}}",
        "{\"limit\":\"ten\"}",
        "{\"status\":\"SLEEPING\"}",
        "{\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"WS/../../etc\"}}",
        "{\"project\":\"shop\",\"spec\":\"../../../etc\",\"workspace\":{\"path\":\"WS\"}}",
        "{\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"/proc/self\"},"
            + "\"options\":{\"max_iterations\":\"three\"}}",
        "{\"goal\":\"" + "x".repeat(70_000) + "\"}");
  }

  /** Random bytes, or a soup of JSON tokens (closer to what a parser trips over). */
  static byte[] randomBody(Random random) {
    if (random.nextBoolean()) {
      byte[] bytes = new byte[1 + random.nextInt(512)];
      random.nextBytes(bytes);
      return bytes;
    }
    StringBuilder soup = new StringBuilder();
    int n = 1 + random.nextInt(24);
    for (int i = 0; i < n; i++) {
      soup.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return soup.toString().getBytes(StandardCharsets.UTF_8);
  }
}
