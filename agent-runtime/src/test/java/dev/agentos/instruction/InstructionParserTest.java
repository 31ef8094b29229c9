package dev.agentos.instruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.instruction.Instruction.Action;
import dev.agentos.instruction.Instruction.Needs;
import dev.agentos.instruction.Instruction.PlanMode;
import dev.agentos.spec.SpecLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The built-in instructions and the parser's refusals, each naming what is wrong. */
class InstructionParserTest {
  private static final List<String> PRODUCT_FILES =
      List.of(
          "{{product}}/mission.md",
          "{{product}}/mission-lite.md",
          "{{product}}/tech-stack.md",
          "{{product}}/roadmap.md",
          "{{product}}/decisions.md");

  private static Instruction builtIn(String name) {
    String text = InstructionCatalog.builtIn(name).orElseThrow(() -> new AssertionError(name));
    return InstructionParser.parse(text, "built-in");
  }

  private static AgentOsException refused(String document) {
    AgentOsException e =
        assertThrows(AgentOsException.class, () -> InstructionParser.parse(document, "team"));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code(), e.getMessage());
    return e;
  }

  @Test
  void everyBuiltInParsesUnderItsOwnNameWithADescription() {
    Map<String, Instruction> all = new TreeMap<>();
    for (String name : InstructionCatalog.BUILT_IN) {
      Instruction instruction = builtIn(name);
      assertEquals(name, instruction.name());
      assertEquals("built-in", instruction.source());
      assertFalse(instruction.description().isBlank(), name);
      assertFalse(instruction.description().equals(name), name + " has its own description");
      assertTrue(instruction.executeIntro().isPresent(), name + " has an execute section");
      all.put(name, instruction);
    }
    assertEquals(7, all.size());
    for (Instruction built : all.values()) {
      Instruction i = built.inLayout(SpecLayout.AGENT_OS_V1);
      if (i.plan() == PlanMode.STEPS) {
        assertFalse(i.steps().isEmpty(), i.name() + " plans fixed steps");
        i.steps().forEach(s -> assertFalse(s.detail().isBlank(), i.name() + ": " + s.title()));
      }
    }
  }

  @Test
  void executeTasksPlansFromTheTasksFileWithTheAgent() {
    Instruction i = builtIn("execute-tasks");
    assertEquals(PlanMode.TASKS, i.plan());
    assertEquals(Needs.EITHER, i.needs());
    assertEquals(Action.AGENT, i.action());
    assertFalse(i.createsSpec());
    assertTrue(i.steps().isEmpty());
    assertEquals(Instruction.Checks.NONE, i.checks());
  }

  @Test
  void planProductWritesTheFiveProductFilesFromAGoalAndChecksThem() {
    Instruction i = builtIn("plan-product");
    assertEquals(Needs.GOAL, i.needs());
    assertEquals(PlanMode.STEPS, i.plan());
    assertEquals(PRODUCT_FILES, i.checks().files());
    String details = i.steps().stream().map(s -> s.detail()).collect(Collectors.joining("\n"));
    PRODUCT_FILES.forEach(f -> assertTrue(details.contains(f), f + " is written by a step"));
    assertTrue(i.reviewGuidance().orElseThrow().contains("five product documents"));
    assertFalse(i.createsSpec());
  }

  @Test
  void analyzeProductReadsTheCodebaseFirstThenWritesTheFiveProductFiles() {
    Instruction i = builtIn("analyze-product");
    assertEquals(PlanMode.STEPS, i.plan());
    assertEquals(PRODUCT_FILES, i.checks().files());
    assertTrue(i.steps().get(0).title().contains("Read the codebase"), i.steps().toString());
    String details = i.steps().stream().map(s -> s.detail()).collect(Collectors.joining("\n"));
    PRODUCT_FILES.forEach(f -> assertTrue(details.contains(f), f + " is written by a step"));
  }

  @Test
  void createSpecCreatesADatedSpecWithItsFilesAndATasksCheck() {
    Instruction written = builtIn("create-spec");
    assertEquals(Instruction.Writes.SPEC, written.writes());
    assertTrue(written.steps().isEmpty(), "the steps come from the spec's layout");
    Instruction i = written.inLayout(SpecLayout.AGENT_OS_V1);
    assertTrue(i.createsSpec());
    assertEquals(Needs.GOAL, i.needs());
    assertEquals(PlanMode.STEPS, i.plan());
    assertEquals(
        List.of(
            "{{spec}}/spec.md",
            "{{spec}}/spec-lite.md",
            "{{spec}}/sub-specs/technical-spec.md",
            "{{spec}}/tasks.md"),
        i.checks().files());
    assertEquals("{{spec}}/tasks.md", i.checks().tasks());
    assertEquals(
        ".agent-os/specs/2026-11-20-cart/tasks.md",
        Instruction.fill(i.checks().tasks(), ".agent-os/specs/2026-11-20-cart", null));
    assertTrue(i.executeIntro().orElseThrow().contains("{{spec}}"), "the prompt names the spec");
  }

  @Test
  void createTasksAndRefineSpecNeedASpecAndCheckItsTasks() {
    for (String name : List.of("create-tasks", "refine-spec")) {
      Instruction i = builtIn(name).inLayout(SpecLayout.AGENT_OS_V1);
      assertEquals(Needs.SPEC, i.needs(), name);
      assertFalse(i.createsSpec(), name);
      assertEquals("{{spec}}/tasks.md", i.checks().tasks(), name);
      assertTrue(i.checks().files().contains("{{spec}}/tasks.md"), name);
    }
  }

  @Test
  void writesTakesItsStepsFromTheLayoutSoAnInstructionWithItsOwnStepsOrChecksIsRefused() {
    String head = "---\nname: x\nneeds: spec\nplan: steps\nwrites: tasks\n";
    assertTrue(
        refused(head + "steps:\n  - title: a\n    detail: b\n---\n")
            .getMessage()
            .contains("takes its steps and checks from the spec's layout"));
    refused(head + "checks:\n  files: [a]\n---\n");
    refused("---\nname: x\nplan: tasks\nwrites: spec\n---\n");
    assertTrue(
        refused("---\nname: x\nneeds: goal\nplan: steps\nwrites: spec\n---\n")
            .getMessage()
            .contains("give it creates_spec: true or needs: spec"));
    assertTrue(
        refused("---\nname: x\nneeds: spec\nplan: steps\nwrites: all\n---\n")
            .getMessage()
            .contains("[own-steps, spec, tasks, refinement]"));
    Instruction own = InstructionParser.parse(head + "---\n", "team");
    assertEquals(
        List.of("Write the plan"),
        own.inLayout(SpecLayout.AGENT_OS_V3).steps().stream().map(s -> s.title()).toList());
  }

  @Test
  void gitCommitIsCarriedOutByAgentOsNotByAnAgent() {
    Instruction i = builtIn("git-commit");
    assertEquals(Action.GIT_COMMIT, i.action());
    assertEquals(PlanMode.STEPS, i.plan());
    assertEquals(1, i.steps().size());
    assertTrue(i.steps().get(0).title().startsWith("Commit"), i.steps().toString());
  }

  @Test
  void readsTheSectionsAndDefaultsWhatIsLeftOut() {
    Instruction i =
        InstructionParser.parse(
            "---\nname: review-docs\nplan: agent\n---\nintro text is ignored\n\n"
                + "## Plan\nPlan the review.\n\n## execute\nReview one document.\n\n"
                + "## review\nEvery document read.\n",
            "workspace");
    assertEquals("review-docs", i.description(), "the name stands in for a missing description");
    assertEquals(Needs.EITHER, i.needs());
    assertEquals(PlanMode.AGENT, i.plan());
    assertEquals(Action.AGENT, i.action());
    assertEquals("Plan the review.", i.planIntro().orElseThrow());
    assertEquals("Review one document.", i.executeIntro().orElseThrow());
    assertEquals("Every document read.", i.reviewGuidance().orElseThrow());
    assertEquals("workspace", i.source());
    assertNull(i.checks().tasks());
  }

  @Test
  void enumValuesMayBeWrittenWithDashesOrInUpperCase() {
    Instruction i =
        InstructionParser.parse(
            "---\nname: ship\nneeds: SPEC\nplan: steps\naction: git-commit\nsteps:\n"
                + "  - title: Ship it\n---\n",
            "team");
    assertEquals(Needs.SPEC, i.needs());
    assertEquals(Action.GIT_COMMIT, i.action());
    assertEquals("", i.steps().get(0).detail());
  }

  @Test
  void refusesAnUnknownFrontMatterFieldNamingIt() {
    AgentOsException e = refused("---\nname: x\npriority: high\n---\n");
    assertTrue(e.getMessage().contains("unknown field 'priority'"), e.getMessage());
    assertTrue(e.getMessage().contains("needs"), "lists the known fields: " + e.getMessage());
  }

  @Test
  void refusesABadEnumValueNamingTheFieldAndTheAllowedValues() {
    AgentOsException plan = refused("---\nname: x\nplan: magic\n---\n");
    assertTrue(plan.getMessage().contains("field 'plan' is 'magic'"), plan.getMessage());
    assertTrue(plan.getMessage().contains("[tasks, steps, agent]"), plan.getMessage());
    AgentOsException needs = refused("---\nname: x\nneeds: nothing\n---\n");
    assertTrue(needs.getMessage().contains("field 'needs'"), needs.getMessage());
    assertTrue(needs.getMessage().contains("[goal, spec, either]"), needs.getMessage());
    AgentOsException action = refused("---\nname: x\naction: deploy\n---\n");
    assertTrue(action.getMessage().contains("field 'action'"), action.getMessage());
    assertTrue(action.getMessage().contains("git-commit"), action.getMessage());
  }

  @Test
  void refusesFixedStepsPlanWithoutStepsOrAStepWithoutTitle() {
    AgentOsException missing = refused("---\nname: x\nplan: steps\n---\n");
    assertTrue(
        missing.getMessage().contains("plan: steps needs a list of steps"), missing.getMessage());
    AgentOsException untitled =
        refused("---\nname: x\nplan: steps\nsteps:\n  - detail: no title\n---\n");
    assertTrue(untitled.getMessage().contains("every step needs a title"), untitled.getMessage());
  }

  @Test
  void refusesABadNameMissingFrontMatterOrYamlThatIsNoMapping() {
    assertTrue(refused("---\nname: Bad Name\n---\n").getMessage().contains("'Bad Name'"));
    assertTrue(refused("---\ndescription: nameless\n---\n").getMessage().contains("name ''"));
    assertTrue(refused("# just markdown\n").getMessage().contains("YAML front matter"));
    assertTrue(refused("---\n- a\n- b\n---\n").getMessage().contains("YAML mapping"));
    assertTrue(refused("---\nname: [x\n---\n").getMessage().contains("not valid YAML"));
    assertTrue(refused(null).getMessage().contains("front matter"));
  }
}
