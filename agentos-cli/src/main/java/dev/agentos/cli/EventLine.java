package dev.agentos.cli;

import dev.agentos.nats.CycleEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

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
        + (e.message() == null ? "" : e.message().replaceAll("\\s+", " ").strip());
  }

  private static String type(String type, Style style) {
    if (type == null) {
      return "?";
    }
    return switch (type) {
      case "rejected", "dead_lettered" -> style.red(type);
      case "retrying", "requeued" -> style.yellow(type);
      case "transition", "submitted" -> style.bold(type);
      default -> type;
    };
  }

  private static String pad(String styled, int width, String plain) {
    int visible = plain == null ? 1 : plain.length();
    return visible >= width ? styled : styled + " ".repeat(width - visible);
  }
}
