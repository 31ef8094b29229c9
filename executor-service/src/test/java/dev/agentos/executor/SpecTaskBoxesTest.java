package dev.agentos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.agentos.spec.TaskRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ticking the step's task in each layout's task file. */
class SpecTaskBoxesTest {

  @TempDir Path workspace;

  @Test
  void ticksAV2GroupsSubTasksAndThenItsParentInACrlfFile() {
    String text =
        "#### Task Group 2: API\r\n"
            + "**Dependencies:** Task Group 1\r\n"
            + "\r\n"
            + "- [ ] 2.0 Complete the API\r\n"
            + "    - [x] 2.1 Tests\r\n"
            + "    - [ ] 2.1b Empty history\r\n"
            + "    - [ ] 2.2 Endpoint";

    String ticked = SpecTaskBoxes.tickAll(text, TaskRef.number("2"));

    assertEquals(
        text.replace("- [ ] 2.0", "- [x] 2.0")
            .replace("- [ ] 2.1b", "- [x] 2.1b")
            .replace("- [ ] 2.2", "- [x] 2.2"),
        ticked);
  }

  @Test
  void ticksASpecKitTaskInTheFilesUpperCase() {
    String text = "## Phase 1: Setup\n\n- [X] T001 Structure\n- [ ] T002 [P] Linter\n";

    assertEquals(
        text.replace("- [ ] T002", "- [X] T002"),
        SpecTaskBoxes.tickAll(text, TaskRef.number("T002")));
  }

  // Mirrors a v3 plan.md from a public project: boxes in the task headings, not in lists.
  @Test
  void ticksAV3PlanWhoseTaskHeadingsHaveBoxes() throws IOException {
    String spec = "agent-os/specs/2026-02-22-0100-checks";
    String text = "## Tasks\n\n### [x] Task 1: Save spec documentation\n\n### [ ] Task 2: Codes\n";
    Path plan = workspace.resolve(spec).resolve("plan.md");
    Files.createDirectories(plan.getParent());
    Files.writeString(plan, text, StandardCharsets.UTF_8);
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .workspace(Workspace.atPath(workspace.toString()))
            .spec(spec)
            .build();

    new SpecTaskBoxes().tick(workspace, state, PlanStep.of("1", "2. Codes", "", "2"));

    assertEquals(
        text.replace("### [ ] Task 2", "### [x] Task 2"),
        Files.readString(plan, StandardCharsets.UTF_8));
  }

  @Test
  void leavesAV3SpecWithoutTasksMdAlone() throws IOException {
    String spec = "agent-os/specs/2026-05-04-1030-export";
    Path plan = workspace.resolve(spec).resolve("plan.md");
    Files.createDirectories(plan.getParent());
    Files.writeString(plan, "## Task 1: Writer\n", StandardCharsets.UTF_8);
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .workspace(Workspace.atPath(workspace.toString()))
            .spec(spec)
            .build();

    new SpecTaskBoxes().tick(workspace, state, PlanStep.of("1", "1. Writer", "", "1"));

    assertEquals("## Task 1: Writer\n", Files.readString(plan, StandardCharsets.UTF_8));
    assertFalse(Files.exists(plan.resolveSibling("tasks.md")));
  }
}
