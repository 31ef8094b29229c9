package dev.agentos.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the files alone say of each criterion, and the recap section that lists the verdicts. */
class CriteriaVerdictsTest {

  // Mirrors an Agent OS v2 tasks.md: a group's acceptance criteria, then Quality Gates at column 0.
  private static final TasksFile TASKS =
      TasksFile.parse(
          """
          ### Task Group 1: Model
          - [x] 1.0 Complete the model
            - [x] 1.1 Write tests

          **Acceptance Criteria:**
          - Tests pass

          ### Task Group 2: API
          - [ ] 2.0 Complete the API

          **Acceptance Criteria:**
          - The endpoint answers in JSON

          ## Quality Gates
          - [x] No lint warnings
          - [ ] Reviewed by a person

          ## Validation Checklist
          - ✅ Every task names its file
          """);

  @Test
  void aTickIsMetAnOpenTasksCriterionIsNotMetTheRestNeedAPerson() {
    List<CriterionVerdict> verdicts =
        CriteriaVerdicts.byCheck(TASKS.ignoredCriteria(), Optional.of(TASKS));

    assertEquals(
        List.of(
            "NEEDS_PERSON Tests pass",
            "NOT_MET The endpoint answers in JSON (task 2 is not done)",
            "MET No lint warnings",
            "NEEDS_PERSON Reviewed by a person",
            "MET ✅ Every task names its file (marked ✅ in the file)"),
        verdicts.stream()
            .map(
                v ->
                    v.status()
                        + " "
                        + v.criterion().text()
                        + (v.why().isEmpty() ? "" : " (" + v.why() + ")"))
            .toList());
  }

  @Test
  void theRecapSectionListsEachVerdictAndReplacesTheOneBefore() {
    Criterion gate = new Criterion(3, Checkbox.UNTICKED, "No lint warnings", "Quality Gates");
    Criterion story = new Criterion(9, Checkbox.NONE, "Lists newest first", "Acceptance", "2");
    String before =
        CriteriaVerdicts.section(
            List.of(new CriterionVerdict(gate, CriterionVerdict.Status.NEEDS_PERSON, "check", "")),
            "Before Review.");
    String recap = "# r\n\n## Summary\n\nok\n\n" + before + "\n## Next steps\n\nNone.\n";

    String after =
        CriteriaVerdicts.replaceSection(
            recap,
            CriteriaVerdicts.section(
                List.of(
                    new CriterionVerdict(
                        gate, CriterionVerdict.Status.MET, "review agent", "lint is clean"),
                    new CriterionVerdict(story, CriterionVerdict.Status.NOT_MET, "check", "open")),
                "By Review."));

    assertEquals(
        "# r\n\n## Summary\n\nok\n\n## Criteria\n\nBy Review.\n\n"
            + "- ✅ met: No lint warnings (Quality Gates; review agent: lint is clean)\n"
            + "- ❌ not met: Lists newest first (Acceptance, task 2; open)\n"
            + "\n## Next steps\n\nNone.\n",
        after);
    assertEquals(
        "# r\n\n## Criteria\n\nx\n",
        CriteriaVerdicts.replaceSection("# r\n", "## Criteria\n\nx\n"),
        "a recap without the section gets it at its end");
  }
}
