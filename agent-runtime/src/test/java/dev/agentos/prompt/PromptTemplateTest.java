package dev.agentos.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The express-summary template is the smallest real one (its changes and history left empty here):
 * {@code cycle_id} and {@code iteration} (required), {@code steps} (priority 60), {@code spec} (40)
 * and {@code feedback} (50).
 */
class PromptTemplateTest {

  private static final String NOTE_START =
      "\n\nNote: to fit your context, these parts were shortened: ";
  private static final String NOTE_END = ". Read the files in the workspace for the full text.\n";

  private final PromptTemplate template = PromptTemplate.load("express-summary");

  @Test
  void rendersEveryPlaceholderWithItsValue() {
    String prompt = template.render(values("c-1", "2", "- 1. A: COMPLETED", "Cart spec", "none"));

    assertTrue(prompt.contains("Cycle: c-1 · iteration 2\n"), prompt);
    assertTrue(prompt.contains("## What was done, step by step\n- 1. A: COMPLETED\n"), prompt);
    assertTrue(prompt.contains("## Spec\nCart spec\n"), prompt);
    assertTrue(prompt.endsWith("## Review feedback this iteration addressed\nnone\n"), prompt);
    assertFalse(prompt.contains("{{"), prompt);
  }

  @Test
  void insertsValuesLiterallyWithoutExpandingPlaceholdersOrDollarSignsInThem() {
    String prompt = template.render(values("c-1", "1", "cost $1 \\ {{spec}}", "S", "F"));

    assertTrue(prompt.contains("cost $1 \\ {{spec}}\n"), prompt);
  }

  @Test
  void refusesToRenderWhenAPlaceholderHasNoValue() {
    Map<String, String> values = values("c-1", "1", "steps", "spec", "feedback");
    values.remove("feedback");

    AgentOsException error = assertThrows(AgentOsException.class, () -> template.render(values));

    assertEquals(ErrorCode.INTERNAL, error.code());
    assertTrue(error.getMessage().contains("express-summary"), error.getMessage());
    assertTrue(error.getMessage().contains("{{feedback}}"), error.getMessage());
  }

  @Test
  void refusesToRenderSectionsThatLeaveAPlaceholderEmpty() {
    List<PromptSection> sections =
        List.of(
            PromptSection.required("cycle_id", "c-1"),
            PromptSection.required("iteration", "1"),
            new PromptSection("steps", "the step record", "s", 60),
            PromptSection.required("changes", ""),
            PromptSection.required("history", ""),
            new PromptSection("spec", "the spec", "s", 40));

    AgentOsException error =
        assertThrows(AgentOsException.class, () -> template.render(sections, 100_000));

    assertEquals(ErrorCode.INTERNAL, error.code());
    assertTrue(error.getMessage().contains("{{feedback}}"), error.getMessage());
  }

  @Test
  void cutsNothingWhenThePromptFitsTheCap() {
    List<PromptSection> sections = sections("x".repeat(500), "y".repeat(500), "z".repeat(500));
    String whole =
        template.render(values("c-1", "1", "x".repeat(500), "y".repeat(500), "z".repeat(500)));

    assertEquals(whole, template.render(sections, whole.length()));
    assertFalse(template.render(sections, whole.length()).contains("Note:"));
  }

  @Test
  void shortensTheLowestPrioritySectionFirstKeepingItsBeginningAndSaysSo() {
    String steps = "T".repeat(3000);
    String spec = "S".repeat(3000);
    String feedback = "F".repeat(3000);
    int full = fixedLength() + 9000;

    String prompt = template.render(sections(steps, spec, feedback), full - 1000);

    assertTrue(prompt.contains("\n" + steps + "\n"), "steps (priority 60) stay whole");
    assertTrue(prompt.contains("\n" + feedback + "\n"), "feedback (priority 50) stays whole");
    assertFalse(prompt.contains(spec), "spec (priority 40) is shortened");
    assertTrue(prompt.contains("## Spec\nSSSS"), "the spec keeps its beginning");
    assertTrue(
        prompt.matches(
            "(?s).*S\n\\[… \\d+ of 3000 characters of the spec left out to fit the"
                + " model's context]\n.*"),
        prompt);
    assertTrue(prompt.endsWith(NOTE_START + "the spec" + NOTE_END), prompt);
  }

  @Test
  void shortensTheNextSectionWhenTheFirstIsNotEnoughAndNamesBoth() {
    String steps = "T".repeat(3000);
    String spec = "S".repeat(3000);
    String feedback = "F".repeat(3000);

    String prompt = template.render(sections(steps, spec, feedback), fixedLength() + 4500);

    assertTrue(prompt.contains("\n" + steps + "\n"), "steps (priority 60) stay whole");
    assertTrue(
        prompt.contains(
            "## Spec\n\n[… 3000 of 3000 characters of the spec left out to fit the model's"
                + " context]\n"),
        "spec (priority 40) is cut to nothing but its note: " + prompt);
    assertTrue(prompt.contains("characters of the review feedback left out"), prompt);
    assertTrue(prompt.contains("\nFFF"), "feedback keeps its beginning");
    assertTrue(prompt.endsWith(NOTE_START + "the spec, the review feedback" + NOTE_END), prompt);
  }

  @Test
  void neverShortensARequiredSectionEvenWhenNothingElseIsLeftToCut() {
    String cycleId = "C".repeat(5000);

    String prompt =
        template.render(
            List.of(
                PromptSection.required("cycle_id", cycleId),
                PromptSection.required("iteration", "1"),
                new PromptSection("steps", "the step record", "T".repeat(3000), 60),
                PromptSection.required("changes", ""),
                PromptSection.required("history", ""),
                new PromptSection("spec", "the spec", "S".repeat(3000), 40),
                new PromptSection("feedback", "the review feedback", "F".repeat(3000), 50)),
            2000);

    assertTrue(prompt.contains("Cycle: " + cycleId + " · iteration 1"), "required text is whole");
    assertTrue(
        prompt.endsWith(NOTE_START + "the spec, the review feedback, the step record" + NOTE_END),
        prompt);
  }

  @Test
  void shortenedPromptStaysWithinTheCap() {
    List<PromptSection> sections = sections("T".repeat(3000), "S".repeat(3000), "F".repeat(3000));
    int full = fixedLength() + 9000;

    for (int cap : new int[] {full - 1, full - 1000, full - 4000, full - 7000}) {
      String prompt = template.render(sections, cap);
      assertTrue(prompt.contains("Note:"), "cap " + cap + " needs a cut");
      assertTrue(prompt.length() <= cap, "cap " + cap + " but " + prompt.length() + " chars");
    }
  }

  @Test
  void sectionsTheTemplateDoesNotUseNeitherCountNorGetNamedAsCut() {
    List<PromptSection> sections = new java.util.ArrayList<>(sections("T", "S", "F"));
    sections.add(new PromptSection("decisions", "the decision log", "D".repeat(50_000), 10));
    String whole = template.render(values("c-1", "1", "T", "S", "F"));

    assertEquals(whole, template.render(sections, whole.length() + 100));
  }

  private int fixedLength() {
    return template.render(values("c-1", "1", "", "", "")).length();
  }

  private static List<PromptSection> sections(String steps, String spec, String feedback) {
    return List.of(
        PromptSection.required("cycle_id", "c-1"),
        PromptSection.required("iteration", "1"),
        new PromptSection("steps", "the step record", steps, 60),
        PromptSection.required("changes", ""),
        PromptSection.required("history", ""),
        new PromptSection("spec", "the spec", spec, ProjectContext.SPEC),
        new PromptSection("feedback", "the review feedback", feedback, ProjectContext.FEEDBACK));
  }

  private static Map<String, String> values(
      String cycleId, String iteration, String steps, String spec, String feedback) {
    Map<String, String> values = new HashMap<>();
    values.put("cycle_id", cycleId);
    values.put("iteration", iteration);
    values.put("steps", steps);
    values.put("spec", spec);
    values.put("feedback", feedback);
    values.put("changes", "");
    values.put("history", "");
    return values;
  }
}
