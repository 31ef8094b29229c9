package dev.agentos.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a cycle's time goes, from the writes the KV watch sees: a claim is the first write of a
 * status with a lease, a commit the first write of the next status without one. Between them lies
 * the phase; between a commit and the next claim lies the hand-off (publish, delivery, claim).
 */
final class PhaseTimeline {
  private static final Set<String> MARK_FIELDS = Set.of("status", "lease");

  /** The segments of a cycle, in order: name, then the (status, leased) marks it runs between. */
  private static final List<String[]> SEGMENTS =
      List.of(
          new String[] {"submit → PLAN claimed", "submit", "PLANNING+lease"},
          new String[] {"PLAN", "PLANNING+lease", "EXECUTING"},
          new String[] {"hand-off → EXECUTE claimed", "EXECUTING", "EXECUTING+lease"},
          new String[] {"EXECUTE (3 steps)", "EXECUTING+lease", "EXPRESSING"},
          new String[] {"hand-off → EXPRESS claimed", "EXPRESSING", "EXPRESSING+lease"},
          new String[] {"EXPRESS", "EXPRESSING+lease", "REVIEWING"},
          new String[] {"hand-off → REVIEW claimed", "REVIEWING", "REVIEWING+lease"},
          new String[] {"REVIEW", "REVIEWING+lease", "COMPLETED"});

  private final Map<String, Latencies> segments = new LinkedHashMap<>();
  private final Map<String, Long> marks = new ConcurrentHashMap<>();

  PhaseTimeline() {
    for (String[] segment : SEGMENTS) {
      segments.put(segment[0], new Latencies());
    }
  }

  /** Starts the timeline of the next cycle (sequential runs only: one cycle at a time). */
  void submitted(long atNanos) {
    marks.clear();
    marks.put("submit", atNanos);
  }

  /** Notes a write of the current cycle. */
  void written(byte[] state, long atNanos) {
    String mark = mark(state);
    if (mark != null) {
      marks.putIfAbsent(mark, atNanos);
    }
  }

  /** Adds the current cycle's segments (those whose both ends were seen). */
  void finished() {
    for (String[] segment : SEGMENTS) {
      Long from = marks.get(segment[1]);
      Long to = marks.get(segment[2]);
      if (from != null && to != null && to >= from) {
        segments.get(segment[0]).add(to - from);
      }
    }
  }

  /** Each segment's latencies, in cycle order. */
  Map<String, Latencies> segments() {
    return segments;
  }

  /** {@code STATUS} or {@code STATUS+lease}, from the state's top-level fields. */
  static String mark(byte[] json) {
    ObjectNode fields = Json.topLevelFields(json, MARK_FIELDS);
    if (!fields.path("status").isTextual()) {
      return null;
    }
    String status = fields.path("status").asText();
    return fields.path("lease").isObject() ? status + "+lease" : status;
  }
}
