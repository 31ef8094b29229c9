package dev.agentos.spec;

import java.util.regex.Pattern;

/**
 * Recognises the sections whose checkboxes are criteria to check, not work to do: "Definition of
 * done", "Success criteria/metrics", "Acceptance criteria", "Quality gates", "Manual testing
 * checklist", "Testing checkpoints", "Validation checklist", their German, French, Spanish,
 * Italian, Japanese and Chinese cousins.
 */
final class CriteriaNames {

  private static final Pattern CRITERIA =
      Pattern.compile(
          "definition of done|\\bdod\\b|criteria|kriterien|crit[èe]res|criterios|criteri\\b"
              + "|definition of ready|definici[óo]n de (?:hecho|terminado)"
              + "|success metrics|key metrics|^[^\\p{L}]*metrics[^\\p{L}]*$|\\bkpis?\\b"
              + "|quality gates?|manual testing|testing checkpoints?|test checkpoints?"
              + "|(?:validation|verification|testing|test|qa|review|acceptance|release"
              + "|quality(?: assurance)?|pre-?(?:commit|merge|release|deploy(?:ment)?|flight))"
              + " checklist"
              + "|受け入れ基準|受入基準|完了条件|成功基準|验收标准|完成标准|成功标准|验收条件",
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
