package dev.agentos.instruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.RoleAgent;
import dev.agentos.spec.SpecLayout;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Workspace;
import dev.agentos.worker.DetachedPhaseContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * create-spec, create-tasks and refine-spec write the files of the spec folder's own layout;
 * plan-product and analyze-product the product folder of the workspace's.
 */
class InstructionInLayoutTest {
  private static final InstructionCatalog CATALOG = InstructionCatalog.builtInOnly();

  @TempDir Path workspace;

  private static Instruction in(String name, SpecLayout layout) {
    return CATALOG.require(name, null).inLayout(layout);
  }

  @Test
  void createSpecWritesEachLayoutsDocumentsAndChecksThem() {
    assertEquals(
        List.of(
            "{{spec}}/spec.md",
            "{{spec}}/spec-lite.md",
            "{{spec}}/sub-specs/technical-spec.md",
            "{{spec}}/tasks.md"),
        in("create-spec", SpecLayout.AGENT_OS_V1).checks().files());
    assertEquals(
        List.of("{{spec}}/planning/requirements.md", "{{spec}}/spec.md", "{{spec}}/tasks.md"),
        in("create-spec", SpecLayout.AGENT_OS_V2).checks().files());
    assertEquals(
        List.of(
            "{{spec}}/shape.md",
            "{{spec}}/standards.md",
            "{{spec}}/references.md",
            "{{spec}}/plan.md"),
        in("create-spec", SpecLayout.AGENT_OS_V3).checks().files());
    assertEquals(
        List.of("{{spec}}/spec.md", "{{spec}}/plan.md", "{{spec}}/tasks.md"),
        in("create-spec", SpecLayout.SPEC_KIT).checks().files());
    assertEquals("{{spec}}/plan.md", in("create-spec", SpecLayout.AGENT_OS_V3).checks().tasks());
    for (SpecLayout layout : SpecLayout.values()) {
      Instruction i = in("create-spec", layout);
      assertEquals(
          i.checks().files().size() - (layout == SpecLayout.AGENT_OS_V1 ? 1 : 0),
          i.steps().size(),
          layout + ": one step per file");
      for (String file : i.checks().files()) {
        assertTrue(
            i.steps().stream().anyMatch(s -> s.detail().contains(file)),
            layout + ": a step writes " + file);
      }
    }
  }

  @Test
  void createTasksWritesTheLayoutsTaskListInItsFormat() {
    assertEquals(
        List.of("{{spec}}/tasks.md"), in("create-tasks", SpecLayout.AGENT_OS_V2).checks().files());
    assertTrue(
        in("create-tasks", SpecLayout.AGENT_OS_V2)
            .steps()
            .get(0)
            .detail()
            .contains("### Task Group N: Name"));
    assertTrue(
        in("create-tasks", SpecLayout.SPEC_KIT)
            .steps()
            .get(0)
            .detail()
            .contains("- [ ] T001 [P] [US1]"));
    Instruction v3 = in("create-tasks", SpecLayout.AGENT_OS_V3);
    assertEquals("{{spec}}/plan.md", v3.checks().tasks());
    assertTrue(v3.steps().get(0).detail().contains("## Task N: Title"));
  }

  // The formats the steps ask for, written as an agent following them would: each parses.
  @Test
  void aTaskListWrittenAsTheStepAsksParsesWithItsTasks() {
    assertEquals(
        2,
        TasksFile.parse(
                "## Task List\n\n### Task Group 1: Model\n**Dependencies:** None\n\n- [ ] 1.0"
                    + " Complete the model\n  - [ ] 1.1 Write tests\n\n**Acceptance Criteria:**\n-"
                    + " Tests pass\n\n### Task Group 2: API\n**Dependencies:** Task Group 1\n\n-"
                    + " [ ] 2.0 Complete the API\n  - [ ] 2.1 Write tests\n")
            .tasks()
            .size());
    assertEquals(
        2,
        TasksFile.parse(
                "## Phase 1: Setup\n\n- [ ] T001 Create src/app.py\n\n**Checkpoint**: it runs\n\n"
                    + "## Phase 2: User Story 1 - Albums (Priority: P1)\n\n- [ ] T002 [P] [US1]"
                    + " Test in tests/test_albums.py\n")
            .tasks()
            .size());
    assertEquals(
        2,
        TasksFile.parsePlan("Summary.\n\n## Task 1: Model\n\n- Add it\n\n## Task 2: API\n")
            .tasks()
            .size());
  }

  @Test
  void theRoleSeesTheInstructionInTheLayoutOfTheCyclesSpecFolder() throws IOException {
    Files.createDirectories(workspace.resolve(".specify/memory"));
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .instruction("specify")
            .goal("Albums")
            .spec("specs/001-albums")
            .workspace(Workspace.atPath(workspace.toString()))
            .build();

    Instruction seen =
        RoleAgent.none(Phase.PLAN).instruction(new DetachedPhaseContext(state, workspace));

    assertEquals("create-spec", seen.name(), "specify is create-spec's Spec Kit name");
    assertEquals(
        List.of("{{spec}}/spec.md", "{{spec}}/plan.md", "{{spec}}/tasks.md"),
        seen.checks().files());
  }

  @Test
  void refineSpecChangesTheDocumentsAndTaskListOfTheSpecsLayout() {
    Instruction v2 = in("refine-spec", SpecLayout.AGENT_OS_V2);
    assertEquals(List.of("{{spec}}/spec.md", "{{spec}}/tasks.md"), v2.checks().files());
    assertEquals("{{spec}}/tasks.md", v2.checks().tasks());
    String v2Refine = v2.steps().get(0).detail();
    assertTrue(v2Refine.contains("{{spec}}/planning/requirements.md"), v2Refine);
    assertTrue(v2Refine.contains("{{goal}}"), "the comments are in the step: " + v2Refine);
    assertFalse(v2Refine.contains("spec-lite.md"), "v2 has no spec-lite.md: " + v2Refine);

    Instruction v3 = in("refine-spec", SpecLayout.AGENT_OS_V3);
    assertEquals(List.of("{{spec}}/shape.md", "{{spec}}/plan.md"), v3.checks().files());
    assertEquals("{{spec}}/plan.md", v3.checks().tasks());
    assertTrue(v3.steps().get(1).detail().contains("{{spec}}/plan.md"));

    assertEquals("{{spec}}/tasks.md", in("refine-spec", SpecLayout.SPEC_KIT).checks().tasks());
    assertEquals(
        "Apply these comments to s/spec.md, s/spec-lite.md, s/sub-specs/, keeping what they do not"
            + " touch: prices in cents",
        Instruction.fill(
            in("refine-spec", SpecLayout.AGENT_OS_V1).steps().get(0).detail(),
            "s",
            "prices in cents"));
  }

  @Test
  void productInstructionsWriteTheProductFolderOfTheWorkspacesLayout() throws IOException {
    Files.createDirectories(workspace.resolve("agent-os/standards/global"));
    for (String name : List.of("plan-product", "analyze-product")) {
      Instruction v2 = seenBy(name, workspace);
      assertEquals(5, v2.checks().files().size(), name);
      for (String file : v2.checks().files()) {
        assertTrue(file.startsWith("agent-os/product/"), name + " checks " + file);
      }
      for (Instruction.StepTemplate step : v2.steps()) {
        assertFalse(step.detail().contains(".agent-os/"), name + ": " + step.detail());
        assertFalse(step.detail().contains("{{product}}"), name + ": " + step.detail());
      }
      assertTrue(v2.steps().stream().anyMatch(s -> s.detail().contains("agent-os/product/")));
    }

    Files.createDirectories(workspace.resolve(".agent-os/product"));
    assertTrue(
        seenBy("plan-product", workspace).checks().files().stream()
            .allMatch(file -> file.startsWith(".agent-os/product/")),
        "a workspace that keeps v1 product docs gets them there");
  }

  @Test
  void aWorkspaceWithoutALayoutGetsTheV1ProductFolder() {
    assertEquals(
        ".agent-os/product/mission.md", seenBy("plan-product", workspace).checks().files().get(0));
  }

  private static Instruction seenBy(String name, Path workspace) {
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .instruction(name)
            .goal("A shop for tea")
            .workspace(Workspace.atPath(workspace.toString()))
            .build();
    return RoleAgent.none(Phase.REVIEW).instruction(new DetachedPhaseContext(state, workspace));
  }
}
