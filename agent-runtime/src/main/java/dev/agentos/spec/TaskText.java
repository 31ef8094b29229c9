package dev.agentos.spec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a task line says once its marker and box are gone: an optional number ({@code 1.2}, {@code
 * Task 3:}), the title without emphasis, and an inline {@code ⚠️} note.
 *
 * @param number the task's number as written ("2", "2.3"), empty when unnumbered
 * @param title the title with bold markers and the number removed
 * @param keyword true when the text started with a word such as "Task" or "Aufgabe"
 * @param inlineNote the {@code ⚠️ ...} part of the line, if any
 */
record TaskText(String number, String title, boolean keyword, Optional<String> inlineNote) {

  private static final String KEYWORDS =
      "(?:task|aufgabe|t[âa]che|tarea|tarefa|compito|taak|uppgift|opgave|oppgave|zadanie|задача)";
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern KEYWORD_NUMBERED =
      Pattern.compile(
          "^" + KEYWORDS + "\\s*#?(\\d+(?:\\.\\d+)*)\\.?(?:\\s*[:)\\-–—]\\s*|\\s+|$)(.*)$", FLAGS);
  private static final Pattern KEYWORD_TITLED =
      Pattern.compile("^" + KEYWORDS + "\\s*[:\\-–—]\\s*(.*)$", FLAGS);
  // A bare "2024 budget" is a title, not task 2024: a single number needs its dot or colon.
  private static final Pattern DOTTED_NUMBER =
      Pattern.compile("^(\\d+(?:\\.\\d+)+)\\.?(?:\\s*[:)\\-–—]\\s*|\\s+|$)(.*)$");
  private static final Pattern SINGLE_NUMBER =
      Pattern.compile("^(\\d+)(?:[.:)](?:\\s+|$)|\\s*[\\-–—]\\s+)(.*)$");
  private static final Pattern EMPHASIS = Pattern.compile("\\*\\*|__");
  private static final Pattern TRAILING_SEPARATOR = Pattern.compile("[\\s\\-–—:|(]+$");
  static final char WARNING_SIGN = '\u26A0';

  static TaskText of(String raw) {
    String head = raw;
    Optional<String> note = Optional.empty();
    int warning = raw.indexOf(WARNING_SIGN);
    if (warning >= 0) {
      note = Optional.of(raw.substring(warning).strip());
      head = TRAILING_SEPARATOR.matcher(raw.substring(0, warning)).replaceAll("");
    }
    head = EMPHASIS.matcher(head).replaceAll("").strip();
    Matcher keywordNumbered = KEYWORD_NUMBERED.matcher(head);
    if (keywordNumbered.matches()) {
      return new TaskText(keywordNumbered.group(1), keywordNumbered.group(2).strip(), true, note);
    }
    Matcher keywordTitled = KEYWORD_TITLED.matcher(head);
    if (keywordTitled.matches()) {
      return new TaskText("", keywordTitled.group(1).strip(), true, note);
    }
    for (Pattern numbered : new Pattern[] {DOTTED_NUMBER, SINGLE_NUMBER}) {
      Matcher matcher = numbered.matcher(head);
      if (matcher.matches()) {
        return new TaskText(matcher.group(1), matcher.group(2).strip(), false, note);
      }
    }
    return new TaskText("", head, false, note);
  }

  boolean numbered() {
    return !number.isEmpty();
  }

  static boolean isWarning(String text) {
    return text.strip().indexOf(WARNING_SIGN) == 0;
  }
}
