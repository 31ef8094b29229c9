package dev.agentos.cli;

import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.EventType;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** {@code agentos logs}: one line per lifecycle event. */
public final class EventLine {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private EventLine() {}

  public static String of(CycleEvent e, ZoneId zone, Style style) {
    String time = e.at() == null ? "--:--:--.---" : TIME.withZone(zone).format(e.at());
    String where =
        (e.status() == null ? "-" : e.status().name())
            + " "
            + (e.phase() == null ? "-" : e.phase().name())
            + (e.iteration() == null ? "" : " it" + e.iteration());
    return style.dim(time)
        + "  "
        + pad(type(e.type(), style), 14, e.type())
        + "  "
        + pad(where, 26, where)
        + "  "
        + Printable.line(e.message());
  }

  private static String type(String type, Style style) {
    if (type == null) {
      return "?";
    }
    Optional<EventType> known = EventType.of(type);
    if (known.isEmpty()) {
      return Printable.line(type); // a newer service's event: shown as it is
    }
    return switch (known.get()) {
      case REJECTED, DEAD_LETTERED -> style.red(type);
      case RETRYING, REQUEUED -> style.yellow(type);
      case TRANSITION, SUBMITTED -> style.bold(type);
      default -> type;
    };
  }

  private static String pad(String styled, int width, String plain) {
    int visible = plain == null ? 1 : plain.length();
    return visible >= width ? styled : styled + " ".repeat(width - visible);
  }
}
