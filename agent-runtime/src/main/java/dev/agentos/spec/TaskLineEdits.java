package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import dev.agentos.spec.MarkdownLine.Heading;
import dev.agentos.spec.MarkdownLine.Item;
import dev.agentos.spec.MarkdownLine.Text;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two edits made to tasks.md while work runs. Each splices the smallest possible change into
 * the original string, so a person's diff of the file shows that change and nothing else.
 */
final class TaskLineEdits {

  static final String BLOCKING_MARKER = "\u26A0\uFE0F Blocking issue:";
  private static final Pattern EXISTING_MARKER =
      Pattern.compile(
          "^[ \\t]*\\u26A0\\uFE0F?[ \\t]*Blocking issue:",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern TICKED_BOX =
      Pattern.compile("^[ \\t]*(?:[-*+]|\\d+[.)]|#{1,6})[ \\t]+\\[([xX])\\]", Pattern.MULTILINE);
  private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

  private TaskLineEdits() {}

  static String tick(SourceLines source, Task task) {
    if (task.checkbox() == Checkbox.TICKED) {
      return source.text(); // ticking twice (a redelivered step) is not an error
    }
    if (task.checkbox() == Checkbox.NONE) {
      throw AgentOsException.invalid(
          "task '"
              + task.ref()
              + "' (line "
              + task.line()
              + ") has no checkbox of its own to tick; "
              + (task.subTasks().isEmpty()
                  ? "write it as \"- [ ] ...\" to make it tickable"
                  : "tick its sub-tasks instead"));
    }
    SourceLines.Line line = source.line(task.line());
    // The task's box is the first "[ ]" on its line: only the marker or hashes come before it.
    int at = line.start() + source.content(line).indexOf("[ ]") + 1;
    String text = source.text();
    return text.substring(0, at) + tickMark(text) + text.substring(at + 1);
  }

  /** The file's own way of ticking: Spec Kit writes {@code [X]}, most people {@code [x]}. */
  static String tickMark(String text) {
    Matcher ticked = TICKED_BOX.matcher(text);
    int upper = 0;
    int lower = 0;
    while (ticked.find()) {
      if (ticked.group(1).equals("X")) {
        upper++;
      } else {
        lower++;
      }
    }
    return upper > lower ? "X" : "x";
  }

  static String markBlocked(SourceLines source, Task task, String reason) {
    String oneLine = reason == null ? "" : LINE_BREAKS.matcher(reason).replaceAll(" ").strip();
    if (oneLine.isEmpty()) {
      throw AgentOsException.invalid(
          "a blocking issue needs a reason; say what blocks task '" + task.ref() + "'");
    }
    String text = source.text();
    for (int number = task.line() + 1; number <= source.count(); number++) {
      SourceLines.Line below = source.line(number);
      String content = source.content(below);
      if (!isContinuationLine(number, content)) {
        break;
      }
      Matcher existing = EXISTING_MARKER.matcher(content);
      if (existing.find()) {
        return text.substring(0, below.start() + existing.end())
            + " "
            + oneLine
            + text.substring(below.end());
      }
    }
    SourceLines.Line line = source.line(task.line());
    String marker = indentBelow(source, task) + BLOCKING_MARKER + " " + oneLine;
    String lineEnding = source.terminatorNear(task.line());
    if (line.terminator().isEmpty()) {
      return text + lineEnding + marker; // still no final newline, as the file had none
    }
    int at = line.end() + line.terminator().length();
    return text.substring(0, at) + marker + lineEnding + text.substring(at);
  }

  /** A line that belongs to the task above it: text that is not blank, an item or a heading. */
  private static boolean isContinuationLine(int number, String content) {
    String trimmed = content.strip();
    return MarkdownScanner.classify(number, content) instanceof Text
        && !trimmed.startsWith("```")
        && !trimmed.startsWith("~~~");
  }

  /**
   * One level deeper than the task: where its sub-tasks already sit, else where its text starts.
   * Under a heading the marker starts at the margin, as any paragraph there would.
   */
  private static String indentBelow(SourceLines source, Task task) {
    MarkdownLine line = MarkdownScanner.classify(task.line(), source.content(task.line()));
    if (line instanceof Heading || !(line instanceof Item item)) {
      return "";
    }
    if (!task.subTasks().isEmpty()) {
      String child =
          MarkdownScanner.leadingWhitespace(source.content(task.subTasks().get(0).line()));
      if (MarkdownScanner.columns(child) > item.indent()) {
        return child;
      }
    }
    return item.leading() + " ".repeat(item.contentColumn() - item.indent());
  }
}
