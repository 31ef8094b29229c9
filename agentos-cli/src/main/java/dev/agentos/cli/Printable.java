package dev.agentos.cli;

/**
 * Text from the network made safe for a terminal: event messages, summaries and errors are written
 * by agents and services, and an escape sequence in them could move the cursor, rewrite the screen
 * or set the window title. Whitespace runs become one space; every other control character (C0,
 * DEL, C1) and the bidirectional overrides that reorder what is shown become '?'.
 */
final class Printable {
  private Printable() {}

  static String line(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\s+", " ").strip();
    StringBuilder out = new StringBuilder(flat.length());
    for (int i = 0; i < flat.length(); i++) {
      char c = flat.charAt(i);
      out.append(Character.isISOControl(c) || isBidiControl(c) ? '?' : c);
    }
    return out.toString();
  }

  private static boolean isBidiControl(char c) {
    return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }
}
