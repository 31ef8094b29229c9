package dev.agentos.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a cycle's time goes, from the writes the KV watch sees: a claim is the first write of a
 * status with a lease, a commit the first write of the next status without one. Between them lies
 * the phase; between a commit and the next claim lies the hand-off (publish, delivery, claim).
 */
final class PhaseTimeline {
  private static final JsonFactory JSON = new JsonFactory();

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
    String status = null;
    boolean leased = false;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.getCurrentName();
        JsonToken token = parser.nextToken();
        if (field.equals("status") && token == JsonToken.VALUE_STRING) {
          status = parser.getText();
        } else if (field.equals("lease") && token == JsonToken.START_OBJECT) {
          leased = true;
        }
        parser.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return status == null ? null : leased ? status + "+lease" : status;
  }
}
