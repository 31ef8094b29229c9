package dev.agentos.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --since}: an ISO time ({@code 2026-11-20T10:00:00Z}), a day ({@code 2026-11-20},
 * from its start in UTC), or an age back from now ({@code 30m}, {@code 12h}, {@code 2d}, {@code
 * 1w}).
 */
public final class Since {
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})(m|h|d|w)");

  private Since() {}

  public static Instant parse(String text, Instant now) {
    String value = text == null ? "" : text.strip();
    Matcher age = AGE.matcher(value);
    if (age.matches()) {
      long n = Long.parseLong(age.group(1));
      Duration back =
          switch (age.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return now.minus(back);
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADay) {
        throw CliException.usage(
            "--since '"
                + text
                + "' is neither a time nor an age; write e.g. 2026-11-20T10:00:00Z, 2026-11-20,"
                + " 12h, 2d or 1w");
      }
    }
  }
}
