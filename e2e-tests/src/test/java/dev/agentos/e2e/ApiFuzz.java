package dev.agentos.e2e;

import java.util.List;

/** Bad requests for the control API: named cases, and random ones from a seed. */
final class ApiFuzz {
  static final List<String> ENDPOINTS =
      List.of("submit", "status", "list", "cancel", "resume", "retry", "approve", "answer");

  /** Client errors a bad request may get; anything else (INTERNAL, no reply) is a bug. */
  static final List<String> CLIENT_ERRORS =
      List.of("INVALID_REQUEST", "PAYLOAD_TOO_LARGE", "NOT_FOUND");

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
}
