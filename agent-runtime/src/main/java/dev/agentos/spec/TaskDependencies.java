package dev.agentos.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads which tasks a task waits for from what people write: v2's {@code **Dependencies:** Task
 * Group 1 (needs the models)}, {@code Task Groups 1-3}, {@code None}, or v1's {@code (Depends on:
 * Task 2 - the analysis is needed)} in a title. Reasons in parentheses or after a dash are dropped;
 * only the task numbers are kept.
 */
final class TaskDependencies {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String LABEL =
      "(?:dependencies|dependency|depends on|depends upon|prerequisites?|blocked by)";
  private static final Pattern LINE =
      Pattern.compile("^[*_]*" + LABEL + "[*_]*\\s*[:：]?[*_]*\\s*(.*)$", FLAGS);
  private static final Pattern IN_TITLE =
      Pattern.compile("\\(\\s*" + LABEL + "\\s*[:：]\\s*([^)]*)\\)", FLAGS);
  private static final Pattern PARENTHESES = Pattern.compile("\\([^()]*\\)");
  private static final Pattern REASON = Pattern.compile("\\s+[-–—]\\s+.*$");
  private static final Pattern SEPARATORS = Pattern.compile("\\s*(?:[,;&/+]|\\band\\b)\\s*", FLAGS);
  // A bare number must stand alone: "48-hour monitoring complete" waits for no task 48.
  private static final Pattern PART =
      Pattern.compile(
          "^(?:(?:task\\s*groups?|groups?|tasks?)\\s*#?|#?(?=\\d++(?:\\.\\d++)*+"
              + "(?:\\s*(?:-|–|to|through)\\s*\\d++)?+(?![-–]?\\p{L}))|(?=T\\d))"
              + "(\\d+(?:\\.\\d+)*|T\\d+)"
              + "(?:\\s*(?:-|–|to|through)\\s*(\\d+))?",
          FLAGS);
  // "Task Groups 1-300" is a typo, not three hundred dependencies.
  private static final int MAX_RANGE = 50;

  private TaskDependencies() {}

  /** The numbers on a line such as "**Dependencies:** Task Group 1, Task Group 2". */
  static List<String> onLine(String text) {
    Matcher line = LINE.matcher(text.strip());
    return line.matches() ? numbers(line.group(1)) : List.of();
  }

  /** The numbers in a title's "(Depends on: Task 2 - reason)". */
  static List<String> inTitle(String title) {
    Matcher in = IN_TITLE.matcher(title);
    return in.find() ? numbers(in.group(1)) : List.of();
  }

  private static List<String> numbers(String text) {
    String plain = text.replace("*", "").replace("_", " ");
    plain = PARENTHESES.matcher(plain).replaceAll("");
    plain = REASON.matcher(plain).replaceAll("").strip();
    List<String> numbers = new ArrayList<>();
    for (String part : SEPARATORS.split(plain)) {
      Matcher ref = PART.matcher(part.strip());
      if (!ref.find()) {
        continue;
      }
      String first = ref.group(1);
      if (ref.group(2) != null && first.matches("\\d+")) {
        int from = Integer.parseInt(first);
        int to = Integer.parseInt(ref.group(2));
        for (int n = from; n <= to && n - from < MAX_RANGE; n++) {
          add(numbers, Integer.toString(n));
        }
      } else {
        add(numbers, first);
      }
    }
    return List.copyOf(numbers);
  }

  private static void add(List<String> numbers, String number) {
    if (!numbers.contains(number)) {
      numbers.add(number);
    }
  }
}
