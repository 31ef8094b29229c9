package dev.agentos.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a task line says once its marker and box are gone: an optional number ({@code 1.2}, {@code
 * Task 3:}, {@code Task Group 2:}, Spec Kit's {@code T012}), Spec Kit's tags ({@code [P]}, {@code
 * [US1]}), the title without emphasis, and an inline {@code ⚠️} note.
 *
 * @param number the task's number as written ("2", "2.3", "1.1b", "T012"), empty when unnumbered
 * @param title the title with bold markers, the number and the tags removed
 * @param keyword true when the text started with a word such as "Task" or "Aufgabe"
 * @param tags Spec Kit's markers after the id, without brackets: "P" (may run in parallel), "US1"
 * @param skipped true when the title starts with {@code SKIP:}: the task is deliberately not done
 * @param inlineNote the {@code ⚠️ ...} part of the line, if any
 */
record TaskText(
    String number,
    String title,
    boolean keyword,
    List<String> tags,
    boolean skipped,
    Optional<String> inlineNote) {

  // Agent OS v2 calls its top-level tasks "Task Group 1": the group is the task.
  private static final String KEYWORDS =
      "(?:task|aufgabe|t[âa]che|tarea|tarefa|compito|taak|uppgift|opgave|oppgave|zadanie|задача)"
          + "(?:\\s+group)?";
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern KEYWORD_NUMBERED =
      Pattern.compile(
          "^"
              + KEYWORDS
              + "\\s*#?(\\d+[a-z]?(?:\\.\\d+[a-z]?)*)\\.?(?:\\s*[:)\\-–—]\\s*|\\s+|$)(.*)$",
          FLAGS);
  private static final Pattern KEYWORD_TITLED =
      Pattern.compile("^" + KEYWORDS + "\\s*[:\\-–—]\\s*(.*)$", FLAGS);
  // A bare "2024 budget" is a title, not task 2024: a single number needs its dot or colon.
  private static final Pattern DOTTED_NUMBER =
      Pattern.compile("^(\\d+(?:\\.\\d+[a-z]?)+)\\.?(?:\\s*[:)\\-–—]\\s*|\\s+|$)(.*)$");
  // Spec Kit: "T012 [P] [US1] Create the model in src/models/user.py".
  private static final Pattern SPEC_KIT_ID =
      Pattern.compile("^(T\\d{2,})(?:\\s*[:.)\\-–—]\\s*|\\s+|$)(.*)$");
  private static final Pattern TAG = Pattern.compile("^\\[([A-Za-z][\\w-]{0,11})\\]\\s*");
  private static final Pattern SKIP = Pattern.compile("^SKIP(?:PED)?\\b\\s*:?");
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
    Matcher specKit = SPEC_KIT_ID.matcher(head);
    if (specKit.matches()) {
      return tagged(specKit.group(1), specKit.group(2), note);
    }
    Matcher keywordNumbered = KEYWORD_NUMBERED.matcher(head);
    if (keywordNumbered.matches()) {
      return plain(keywordNumbered.group(1), keywordNumbered.group(2), true, note);
    }
    Matcher keywordTitled = KEYWORD_TITLED.matcher(head);
    if (keywordTitled.matches()) {
      return plain("", keywordTitled.group(1), true, note);
    }
    for (Pattern numbered : new Pattern[] {DOTTED_NUMBER, SINGLE_NUMBER}) {
      Matcher matcher = numbered.matcher(head);
      if (matcher.matches()) {
        return plain(matcher.group(1), matcher.group(2), false, note);
      }
    }
    return plain("", head, false, note);
  }

  private static TaskText plain(
      String number, String title, boolean keyword, Optional<String> note) {
    String rest = title.strip();
    Matcher repeated = KEYWORD_NUMBERED.matcher(rest);
    if (!number.isEmpty() && repeated.matches() && repeated.group(1).equals(number)) {
      rest = repeated.group(2).strip(); // "1. **Task 1: Cart**" says the number twice
    }
    Matcher skip = SKIP.matcher(rest);
    boolean skipped = skip.find();
    return new TaskText(number, rest, keyword, List.of(), skipped, note);
  }

  private static TaskText tagged(String number, String rest, Optional<String> note) {
    List<String> tags = new ArrayList<>();
    String title = rest.strip();
    Matcher tag = TAG.matcher(title);
    while (tag.find()) {
      tags.add(tag.group(1));
      title = title.substring(tag.end());
      tag = TAG.matcher(title);
    }
    boolean skipped = SKIP.matcher(title).find();
    return new TaskText(number, title.strip(), false, List.copyOf(tags), skipped, note);
  }

  boolean numbered() {
    return !number.isEmpty();
  }

  static boolean isWarning(String text) {
    return text.strip().indexOf(WARNING_SIGN) == 0;
  }
}
