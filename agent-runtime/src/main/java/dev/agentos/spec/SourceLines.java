package dev.agentos.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A text cut into lines that remember where they start and how they end, so an edit can rewrite one
 * line and hand back every other byte untouched. {@code \r\n}, {@code \n} and a lone {@code \r} all
 * end a line; a last line without a terminator keeps an empty one.
 */
final class SourceLines {

  /** One line: {@code number} is 1-based, {@code start..end} excludes the terminator. */
  record Line(int number, int start, int end, String terminator) {}

  private final String text;
  private final List<Line> lines;

  SourceLines(String text) {
    this.text = text;
    this.lines = split(text);
  }

  String text() {
    return text;
  }

  List<Line> all() {
    return lines;
  }

  Line line(int number) {
    return lines.get(number - 1);
  }

  String content(Line line) {
    return text.substring(line.start(), line.end());
  }

  String content(int number) {
    return content(line(number));
  }

  int count() {
    return lines.size();
  }

  /**
   * The line ending a new line after {@code number} should get: that line's own, else the file's
   * first, else {@code \n}. Files with mixed endings keep the local convention.
   */
  String terminatorNear(int number) {
    String own = line(number).terminator();
    if (!own.isEmpty()) {
      return own;
    }
    for (Line line : lines) {
      if (!line.terminator().isEmpty()) {
        return line.terminator();
      }
    }
    return "\n";
  }

  private static List<Line> split(String text) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
        String terminator = crlf ? "\r\n" : String.valueOf(c);
        lines.add(new Line(lines.size() + 1, start, i, terminator));
        i += terminator.length();
        start = i;
      } else {
        i++;
      }
    }
    if (start < text.length()) {
      lines.add(new Line(lines.size() + 1, start, text.length(), ""));
    }
    return List.copyOf(lines);
  }
}
