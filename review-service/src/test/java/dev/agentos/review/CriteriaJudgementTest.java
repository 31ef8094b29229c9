package dev.agentos.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.spec.Checkbox;
import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.Criterion;
import dev.agentos.spec.CriterionVerdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The review agent's verdicts on the criteria, read strictly: anything unclear goes to a person.
 */
class CriteriaJudgementTest {
  private static final List<CriterionVerdict> BY_CHECK =
      CriteriaVerdicts.byCheck(
          List.of(
              new Criterion(1, Checkbox.TICKED, "No lint warnings", "Quality Gates"),
              new Criterion(2, Checkbox.UNTICKED, "Checkout under 2 s", "Success Metrics"),
              new Criterion(3, Checkbox.NONE, "Empty cart explained", "checklists/ux.md"),
              new Criterion(4, Checkbox.NONE, "Totals add up", "Acceptance Criteria"),
              new Criterion(5, Checkbox.NONE, "Works offline", "Acceptance Criteria"),
              new Criterion(6, Checkbox.NONE, "Keyboard only", "Acceptance Criteria")),
          Optional.empty());

  @Test
  void asksOnlyAboutTheCriteriaTheFilesCannotDecide() {
    String prompt = CriteriaJudgement.prompt(BY_CHECK);

    assertTrue(prompt.contains("\"criteria\" array"), prompt);
    assertTrue(prompt.contains("- C2: Checkout under 2 s [Success Metrics]\n"), prompt);
    assertTrue(prompt.endsWith("- C6: Keyboard only [Acceptance Criteria]"), prompt);
    assertTrue(!prompt.contains("C1:"), "a ticked criterion is decided: " + prompt);
    assertEquals("(the spec names no criteria)", CriteriaJudgement.prompt(List.of()));
  }

  @Test
  void takesExactVerdictsAndLeavesEverythingElseToAPerson() {
    String answer =
        """
        {"scores": {}, "criteria": [
          {"id": "C1", "verdict": "not_met", "why": "the files decided this one"},
          {"id": "C2", "verdict": "met", "why": "the benchmark in the diff shows 1.2 s"},
          {"id": "C3", "verdict": "not_met", "why": "no empty state in cart.html"},
          {"id": "C4", "verdict": "Met"},
          {"id": "C5", "verdict": "met"}, {"id": "C5", "verdict": "not_met"},
          {"id": "C9", "verdict": "met"}, "junk", {"verdict": "met"}]}
        """;

    List<CriterionVerdict> judged = CriteriaJudgement.judge(Critique.tree(answer), BY_CHECK);

    assertEquals(
        List.of(
            "MET check ",
            "MET review agent the benchmark in the diff shows 1.2 s",
            "NOT_MET review agent no empty state in cart.html",
            "NEEDS_PERSON review agent its verdict \"Met\" is none of met, not_met, needs_person",
            "NEEDS_PERSON review agent it gave 2 different verdicts",
            "NEEDS_PERSON review agent it gave no verdict"),
        judged.stream().map(v -> v.status() + " " + v.by() + " " + v.why()).toList());
  }

  @Test
  void anAnswerWithoutCriteriaLeavesThemToAPersonAndAHugeReasonIsCut() {
    List<CriterionVerdict> none = CriteriaJudgement.judge(Critique.tree("{}"), BY_CHECK);
    assertEquals(5, none.stream().filter(v -> v.why().equals("it gave no verdict")).count());

    String why = "x".repeat(10_000);
    CriterionVerdict cut =
        CriteriaJudgement.judge(
                Critique.tree(
                    "{\"criteria\": [{\"id\": \"C2\", \"verdict\": \"met\", \"why\": \""
                        + why
                        + "\"}]}"),
                BY_CHECK)
            .get(1);
    assertEquals(CriteriaJudgement.MAX_WHY_CHARS + 1, cut.why().length());
  }
}
