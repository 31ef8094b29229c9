package dev.agentos.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import dev.agentos.spec.SpecLayout;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review's instruction checks judge files by where they really are, not where a link says. */
class InstructionChecksLinksTest {
  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";

  @TempDir Path temp;

  @Test
  void aTasksFileLinkedOutsideFailsBothChecksWithoutBeingRead() throws Exception {
    Path workspace = Files.createDirectories(temp.resolve("ws").resolve(SPEC));
    Path outside = Files.writeString(temp.resolve("tasks.md"), "- [ ] 1. A task from outside\n");
    Files.createSymbolicLink(workspace.resolve("tasks.md"), outside);
    Path root = temp.resolve("ws");
    Instruction createTasks =
        InstructionCatalog.builtInOnly()
            .require("create-tasks", null)
            .inLayout(SpecLayout.AGENT_OS_V1);
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .spec(SPEC)
            .workspace(Workspace.atPath(root.toString()))
            .build();

    List<Check> checks = InstructionChecks.run(createTasks, root, state);

    assertEquals(2, checks.size(), checks.toString());
    for (Check check : checks) {
      assertFalse(check.passed(), check.toString());
      assertTrue(check.detail().contains("outside the workspace"), check.toString());
    }
  }
}
