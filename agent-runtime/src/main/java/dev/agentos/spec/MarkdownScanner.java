package dev.agentos.spec;

import dev.agentos.spec.MarkdownLine.Blank;
import dev.agentos.spec.MarkdownLine.Code;
import dev.agentos.spec.MarkdownLine.Heading;
import dev.agentos.spec.MarkdownLine.Item;
import dev.agentos.spec.MarkdownLine.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies the lines of tasks.md into headings, list items, text and code, leaving out HTML
 * comments: a task commented out is not work to do. A fenced code block is kept as {@link
 * MarkdownLine.Code} lines, so a checkbox shown as an example is not a task while the example still
 * reaches the task it belongs to.
 */
final class MarkdownScanner {

  /** The classified lines and what could not be read (blocks never closed). */
  record Scan(List<MarkdownLine> lines, List<Issue> issues) {}

  // A missing space after the hashes ("##Tasks") is tolerated: people write it and mean a heading.
  private static final Pattern HEADING =
      Pattern.compile("^ {0,3}(#{1,6})(?!#)[ \\t]*(.*?)(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern ITEM =
      Pattern.compile(
          "^([ \\t]*)([-*+]|\\d+(?:\\.\\d+)+\\.?|\\d{1,9}[.)])([ \\t]+|(?=\\[)|$)(.*)$");
  private static final Pattern BOX = Pattern.compile("^\\[([ xX])\\][ \\t]*(.*)$");
  // Spec Kit's "[P]" (may run in parallel) opens the bullets that explain it: a marker, not a box.
  private static final Pattern ODD_BOX = Pattern.compile("^\\[(?!P\\])[^\\[\\]]?\\](?!\\()");
  private static final Pattern ANY_BOX = Pattern.compile("\\[[ xX]\\]");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  private static final Pattern FENCE = Pattern.compile("^[ \\t]*(`{3,}|~{3,})(.*)$");
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private MarkdownScanner() {}

  static Scan scan(SourceLines source) {
    List<MarkdownLine> lines = new ArrayList<>();
    List<Issue> issues = new ArrayList<>();
    String fence = null;
    int fenceLine = 0;
    int fenceIndent = 0;
    int commentLine = 0;
    for (SourceLines.Line raw : source.all()) {
      String content = source.content(raw);
      if (raw.number() == 1 && !content.isEmpty() && content.charAt(0) == BYTE_ORDER_MARK) {
        content = content.substring(1);
      }
      int number = raw.number();
      if (fence != null) {
        lines.add(new Code(number, fenceIndent, content));
        if (closesFence(content, fence)) {
          fence = null;
        }
        continue;
      }
      if (commentLine > 0) {
        if (content.contains("-->")) {
          commentLine = 0;
        }
        continue;
      }
      Matcher fenceStart = FENCE.matcher(content);
      if (fenceStart.matches()) {
        fence = fenceStart.group(1);
        fenceLine = number;
        fenceIndent = columns(leadingWhitespace(content));
        lines.add(new Code(number, fenceIndent, content));
        continue;
      }
      String trimmed = content.strip();
      if (trimmed.startsWith("<!--")) {
        if (!trimmed.substring(4).contains("-->")) {
          commentLine = number;
        }
        continue;
      }
      lines.add(classify(number, content));
    }
    if (fence != null) {
      issues.add(new Issue(fenceLine, unclosed("code block", fenceLine, source.count())));
    }
    if (commentLine > 0) {
      issues.add(new Issue(commentLine, unclosed("HTML comment", commentLine, source.count())));
    }
    return new Scan(List.copyOf(lines), List.copyOf(issues));
  }

  static MarkdownLine classify(int number, String content) {
    if (content.isBlank()) {
      return new Blank(number);
    }
    Matcher heading = HEADING.matcher(content);
    if (heading.matches()) {
      return new Heading(number, heading.group(1).length(), heading.group(2).strip());
    }
    Matcher item = ITEM.matcher(content);
    if (item.matches()) {
      return item(number, item);
    }
    String withoutCode = INLINE_CODE.matcher(content).replaceAll("");
    return new Text(
        number,
        columns(leadingWhitespace(content)),
        content.strip(),
        ANY_BOX.matcher(withoutCode).find());
  }

  private static Item item(int number, Matcher item) {
    String leading = item.group(1);
    String marker = item.group(2);
    String rest = item.group(4);
    int indent = columns(leading);
    int contentColumn = columns(leading + marker + item.group(3));
    String ordered = Character.isDigit(marker.charAt(0)) ? marker.replaceAll("[.)]$", "") : "";
    Matcher box = BOX.matcher(rest);
    if (box.matches()) {
      Checkbox checkbox = box.group(1).isBlank() ? Checkbox.UNTICKED : Checkbox.TICKED;
      return new Item(
          number, leading, indent, contentColumn, ordered, checkbox, box.group(2), false);
    }
    boolean oddBox = ODD_BOX.matcher(rest).find();
    return new Item(number, leading, indent, contentColumn, ordered, Checkbox.NONE, rest, oddBox);
  }

  private static boolean closesFence(String content, String fence) {
    String trimmed = content.strip();
    if (trimmed.length() < fence.length()) {
      return false;
    }
    char mark = fence.charAt(0);
    for (int i = 0; i < trimmed.length(); i++) {
      if (trimmed.charAt(i) != mark) {
        return false;
      }
    }
    return true;
  }

  static String leadingWhitespace(String content) {
    int i = 0;
    while (i < content.length() && (content.charAt(i) == ' ' || content.charAt(i) == '\t')) {
      i++;
    }
    return content.substring(0, i);
  }

  /** The width of a line prefix in columns; a tab moves to the next multiple of four. */
  static int columns(String prefix) {
    int column = 0;
    for (int i = 0; i < prefix.length(); i++) {
      column = prefix.charAt(i) == '\t' ? (column / 4 + 1) * 4 : column + 1;
    }
    return column;
  }

  private static String unclosed(String what, int opened, int lastLine) {
    String ignored;
    if (opened == lastLine) {
      ignored = "nothing follows it";
    } else if (opened + 1 == lastLine) {
      ignored = "line " + lastLine + " was ignored";
    } else {
      ignored = "lines " + (opened + 1) + "-" + lastLine + " were ignored";
    }
    return what + " opened here is never closed; " + ignored + ", including any tasks there";
  }
}
