package dev.agentos.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.knowledge.Standard;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectContextTest {

  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";

  @TempDir Path workspace;

  @Test
  void prefersSpecLiteOverSpec() throws IOException {
    write(SPEC + "/spec.md", "# Cart\nThe long spec.");
    write(SPEC + "/spec-lite.md", "Cart, briefly.");

    ProjectContext context = ProjectContext.of(workspace, specCycle(), Knowledge.NONE, null);

    assertEquals("Cart, briefly.", context.spec());
  }

  @Test
  void fallsBackToSpecMdWithoutSpecLite() throws IOException {
    write(SPEC + "/spec.md", "# Cart\nThe long spec.");

    ProjectContext context = ProjectContext.of(workspace, specCycle(), Knowledge.NONE, null);

    assertEquals("# Cart\nThe long spec.", context.spec());
  }

  @Test
  void includesOnlyTheSubSpecsTheTaskNames() throws IOException {
    write(SPEC + "/spec-lite.md", "Cart, briefly.");
    write(SPEC + "/sub-specs/technical-spec.md", "TECH DETAILS");
    write(SPEC + "/sub-specs/api-spec.md", "API DETAILS");

    ProjectContext context =
        ProjectContext.of(
            workspace, specCycle(), Knowledge.NONE, "1.2 Implement Cart per technical-spec.md");

    assertEquals("Cart, briefly.\n\n### technical-spec.md\n\nTECH DETAILS", context.spec());
    assertFalse(context.spec().contains("API DETAILS"));
    assertFalse(
        ProjectContext.of(workspace, specCycle(), Knowledge.NONE, null).spec().contains("###"),
        "no task text names no sub-spec");
  }

  @Test
  void tellsAGoalCycleThereIsNoSpecFolder() {
    CycleState goal = cycle().spec(null).goal("add a dark mode").build();

    ProjectContext context = ProjectContext.of(workspace, goal, Knowledge.NONE, null);

    assertEquals("(no spec folder; the goal is) add a dark mode", context.spec());
  }

  @Test
  void workspaceStandardsOverrideTeamStandardsOfTheSameNameAndComeBeforeTheOthers()
      throws IOException {
    write(".agent-os/standards/code-style.md", "WORKSPACE STYLE");
    write(".agent-os/standards/tech-stack.md", "WORKSPACE STACK");
    write(".agent-os/standards/notes.txt", "NOT MARKDOWN");
    Knowledge team =
        new Knowledge(
            List.of(
                new Standard(Standard.TEAM_SCOPE, "code-style.md", "TEAM STYLE"),
                new Standard(Standard.TEAM_SCOPE, "best-practices", "TEAM PRACTICES")),
            List.of());

    String standards = ProjectContext.of(workspace, specCycle(), team, null).standards();

    assertEquals(
        "### code-style\n\nWORKSPACE STYLE\n\n"
            + "### tech-stack\n\nWORKSPACE STACK\n\n"
            + "### best-practices\n\nTEAM PRACTICES",
        standards);
  }

  @Test
  void saysSoWhenThereAreNoStandards() {
    assertEquals(
        "(no standards)",
        ProjectContext.of(workspace, specCycle(), Knowledge.NONE, null).standards());
  }

  @Test
  void listsTheTeamDecisionsAndTheWorkspaceDecisionsMd() throws IOException {
    write(".agent-os/product/decisions.md", "## 2026-01-02: Use Postgres\nFor JSON columns.");
    Knowledge team =
        new Knowledge(
            List.of(),
            List.of(
                new DecisionRecord(
                    "d-1",
                    "Keep carts server-side",
                    "sessions expire",
                    "store carts in the DB",
                    LocalDate.of(2026, 11, 20),
                    "review of cycle c-0")));

    String decisions = ProjectContext.of(workspace, specCycle(), team, null).decisions();

    assertEquals(
        "- 2026-11-20 Keep carts server-side: store carts in the DB (context: sessions expire)\n"
            + "## 2026-01-02: Use Postgres\nFor JSON columns.",
        decisions);
  }

  @Test
  void readsTheProductMission() throws IOException {
    write(".agent-os/product/mission.md", "Sell socks.");

    assertEquals(
        "Sell socks.", ProjectContext.of(workspace, specCycle(), Knowledge.NONE, null).product());
  }

  @Test
  void rendersFeedbackWithWhatWhereAndWhy() {
    CycleState second =
        cycle()
            .iteration(2)
            .iterations(
                List.of(
                    Iteration.first(),
                    Iteration.next(
                        2,
                        List.of(
                            new FeedbackItem("Add a test", "CartTest.java", "no coverage"),
                            FeedbackItem.of("Rename the class")))))
            .spec(null)
            .goal("g")
            .build();

    String feedback = ProjectContext.of(workspace, second, Knowledge.NONE, null).feedback();

    assertEquals("- Add a test (where: CartTest.java) — no coverage\n- Rename the class", feedback);
  }

  @Test
  void saysTheFirstIterationHasNoFeedback() {
    assertEquals(
        "(none: this is the first iteration)",
        ProjectContext.of(workspace, specCycle(), Knowledge.NONE, null).feedback());
  }

  @Test
  void givesEachPartItsPlaceholderAndPriority() {
    ProjectContext context = new ProjectContext("s", "p", "st", "d", "f");

    assertEquals(
        List.of(
            new PromptSection("spec", "the spec", "s", ProjectContext.SPEC),
            new PromptSection("product", "the product mission", "p", ProjectContext.PRODUCT),
            new PromptSection("standards", "the standards", "st", ProjectContext.STANDARDS),
            new PromptSection("decisions", "the decision log", "d", ProjectContext.DECISIONS),
            new PromptSection("feedback", "the review feedback", "f", ProjectContext.FEEDBACK)),
        context.sections());
  }

  private CycleState specCycle() {
    try {
      Files.createDirectories(workspace.resolve(SPEC));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return cycle().build();
  }

  private CycleState.Builder cycle() {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .spec(SPEC)
        .workspace(Workspace.atPath(workspace.toString()));
  }

  private void write(String relative, String text) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
