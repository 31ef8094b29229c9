package dev.agentos.cli;

import dev.agentos.state.Status;
import java.util.regex.Pattern;

/** ANSI colours for a terminal, or plain text when there is none (pipes, files, NO_COLOR). */
public final class Style {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

  private final boolean colour;

  public Style(boolean colour) {
    this.colour = colour;
  }

  public static Style plain() {
    return new Style(false);
  }

  public boolean colour() {
    return colour;
  }

  public String bold(String text) {
    return wrap("1", text);
  }

  public String dim(String text) {
    return wrap("2", text);
  }

  public String red(String text) {
    return wrap("31", text);
  }

  public String green(String text) {
    return wrap("32", text);
  }

  public String yellow(String text) {
    return wrap("33", text);
  }

  public String cyan(String text) {
    return wrap("36", text);
  }

  /** A status in the colour of what it means: green done, red failed, yellow waiting. */
  public String status(Status status) {
    if (status == null) {
      return "-";
    }
    String name = status.name();
    return switch (status) {
      case COMPLETED -> green(name);
      case FAILED -> red(name);
      case CANCELLED -> dim(name);
      default -> status.waitsForPerson() ? yellow(name) : cyan(name);
    };
  }

  /** The width a string takes on screen: its length without colour codes. */
  public static int width(String text) {
    return ANSI.matcher(text).replaceAll("").length();
  }

  public static String strip(String text) {
    return ANSI.matcher(text).replaceAll("");
  }

  private String wrap(String code, String text) {
    return colour ? "\u001B[" + code + "m" + text + "\u001B[0m" : text;
  }
}
