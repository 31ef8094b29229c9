package dev.agentos.spec;

import java.util.regex.Pattern;

/**
 * Recognises the sections whose checkboxes are criteria to check, not work to do: "Definition of
 * done", "Success criteria", "Acceptance criteria" and their German, French, Spanish and Italian
 * cousins.
 */
final class CriteriaNames {

  private static final Pattern CRITERIA =
      Pattern.compile(
          "definition of done|\\bdod\\b|criteria|kriterien|crit[èe]res|criterios|criteri\\b"
              + "|definition of ready|definici[óo]n de (?:hecho|terminado)",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  // A label names its section; a sentence that mentions criteria in passing is not one.
  private static final int MAX_LABEL_WORDS = 6;

  private CriteriaNames() {}

  /** True for a heading such as "## Definition of Done (DoD)" or "### ✅ Success criteria". */
  static boolean isCriteriaHeading(String title) {
    return CRITERIA.matcher(title).find();
  }

  /**
   * True for a line that introduces criteria, e.g. {@code **Acceptance criteria:**}. A line that
   * goes on after its colon ("Criteria: totals must add up") is a sentence, not a label.
   */
  static boolean isCriteriaLabel(String text) {
    String plain = text.replace("*", "").replace("_", "").strip();
    int colon = plain.indexOf(':');
    if (colon >= 0 && !plain.substring(colon + 1).isBlank()) {
      return false;
    }
    return !plain.isEmpty()
        && plain.split("\\s+").length <= MAX_LABEL_WORDS
        && CRITERIA.matcher(plain).find();
  }
}
