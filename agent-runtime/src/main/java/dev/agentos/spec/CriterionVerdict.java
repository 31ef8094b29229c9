package dev.agentos.spec;

import java.util.Locale;

/**
 * What became of one criterion of a spec: met, not met, or left to a person, who or what decided,
 * and why.
 *
 * @param by {@link #BY_CHECK} or {@link #BY_REVIEW_AGENT}
 * @param why the reason in a few words; empty when the verdict needs none (a ticked box)
 */
public record CriterionVerdict(Criterion criterion, Status status, String by, String why) {
  public static final String BY_CHECK = "check";
  public static final String BY_REVIEW_AGENT = "review agent";

  public enum Status {
    MET,
    NOT_MET,
    NEEDS_PERSON;

    /** "met", "not met", "needs a person": how the review and the recap say it. */
    public String words() {
      return this == NEEDS_PERSON
          ? "needs a person"
          : name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  public CriterionVerdict {
    why = why == null ? "" : why.strip();
  }

  /** The reason, saying who gave it when the review agent did: "review agent: the diff adds it". */
  public String reason() {
    return by.equals(BY_REVIEW_AGENT) ? by + ": " + why : why;
  }

  /** Where the criterion comes from: its section, and its task when it belongs to one. */
  public String source() {
    String section = criterion.section().strip();
    return criterion.task().isEmpty() ? section : section + ", task " + criterion.task();
  }
}
