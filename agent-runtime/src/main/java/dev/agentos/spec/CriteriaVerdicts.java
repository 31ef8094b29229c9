package dev.agentos.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The verdicts on a spec's criteria that need no model, and how a recap lists them. A ticked
 * criterion is met, and so is a plain bullet its author opened with ✅ (as Spec Kit validation
 * checklists are often written); one that belongs to a task not yet done is not met; any other
 * needs a person (or the review agent, when one is configured, which Review then asks).
 */
public final class CriteriaVerdicts {
  /** The recap's heading over the criteria; Review rewrites the section under it. */
  public static final String HEADING = "## Criteria";

  private static final Pattern MARKED_MET = Pattern.compile("^(?:✅|✔️?|☑️?)");

  private CriteriaVerdicts() {}

  /** Each criterion judged by what the files show: its box, and the task it belongs to. */
  public static List<CriterionVerdict> byCheck(
      List<Criterion> criteria, Optional<TasksFile> tasks) {
    List<CriterionVerdict> verdicts = new ArrayList<>();
    for (Criterion criterion : criteria) {
      if (criterion.checkbox() == Checkbox.TICKED) {
        verdicts.add(verdict(criterion, CriterionVerdict.Status.MET, ""));
      } else if (criterion.checkbox() == Checkbox.NONE
          && MARKED_MET.matcher(criterion.text()).find()) {
        verdicts.add(verdict(criterion, CriterionVerdict.Status.MET, "marked ✅ in the file"));
      } else if (openTask(criterion, tasks)) {
        verdicts.add(
            verdict(
                criterion,
                CriterionVerdict.Status.NOT_MET,
                "task " + criterion.task() + " is not done"));
      } else {
        verdicts.add(verdict(criterion, CriterionVerdict.Status.NEEDS_PERSON, ""));
      }
    }
    return List.copyOf(verdicts);
  }

  /**
   * The recap's section: {@link #HEADING}, who judged, then one line per criterion with its
   * verdict, text, source and reason.
   */
  public static String section(List<CriterionVerdict> verdicts, String judgedBy) {
    StringBuilder md = new StringBuilder(HEADING).append("\n\n").append(judgedBy).append("\n\n");
    for (CriterionVerdict v : verdicts) {
      md.append("- ")
          .append(icon(v.status()))
          .append(' ')
          .append(v.status().words())
          .append(": ")
          .append(v.criterion().text())
          .append(" (")
          .append(v.source())
          .append(v.why().isEmpty() ? "" : "; " + v.reason())
          .append(")\n");
    }
    return md.toString();
  }

  /**
   * {@code recap} with its criteria section replaced by {@code section}; with none, the section is
   * added at the end.
   */
  public static String replaceSection(String recap, String section) {
    return RecapSections.replace(recap, HEADING, section);
  }

  private static String icon(CriterionVerdict.Status status) {
    return switch (status) {
      case MET -> "✅";
      case NOT_MET -> "❌";
      case NEEDS_PERSON -> "🧑";
    };
  }

  private static CriterionVerdict verdict(
      Criterion criterion, CriterionVerdict.Status status, String why) {
    return new CriterionVerdict(criterion, status, CriterionVerdict.BY_CHECK, why);
  }

  private static boolean openTask(Criterion criterion, Optional<TasksFile> tasks) {
    if (criterion.task().isEmpty() || tasks.isEmpty()) {
      return false;
    }
    return tasks.get().tasks().stream()
        .filter(t -> t.label().equals(criterion.task()))
        .findFirst()
        .map(t -> !t.done())
        .orElse(false);
  }
}
