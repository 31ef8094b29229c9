package dev.agentos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Workspace;
import dev.agentos.testing.LinkedWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ticks and blocking markers never write through a link out of the workspace. */
class SpecTaskBoxesLinksTest {
  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  private static final String TASKS = "- [ ] 1. Add the cart\n";

  @TempDir Path temp;
  private LinkedWorkspace dirs;
  private final PlanStep step = PlanStep.of("1", "1. Add the cart", "", "1");

  @BeforeEach
  void setUp() throws Exception {
    dirs = LinkedWorkspace.under(temp);
    dirs.outsideFile("tasks.md", TASKS);
  }

  @Test
  void aTasksFileLinkedOutsideIsNeitherTickedNorMarked() throws Exception {
    dirs.link(SPEC + "/tasks.md", dirs.outside().resolve("tasks.md"));
    assertRefused(() -> new SpecTaskBoxes().tick(dirs.workspace(), state(), step));
    assertRefused(() -> new SpecTaskBoxes().markBlocked(dirs.workspace(), state(), step, "broke"));
  }

  @Test
  void aSpecFolderLinkedOutsideIsNeitherTickedNorMarked() throws Exception {
    dirs.link(SPEC, dirs.outside());
    assertRefused(() -> new SpecTaskBoxes().tick(dirs.workspace(), state(), step));
  }

  @Test
  void aTasksFileInsideIsTicked() throws Exception {
    Files.createDirectories(dirs.workspace().resolve(SPEC));
    Files.writeString(dirs.workspace().resolve(SPEC + "/tasks.md"), TASKS);
    new SpecTaskBoxes().tick(dirs.workspace(), state(), step);
    assertEquals(
        "- [x] 1. Add the cart\n", Files.readString(dirs.workspace().resolve(SPEC + "/tasks.md")));
  }

  private void assertRefused(Runnable edit) throws Exception {
    AgentOsException refused = assertThrows(AgentOsException.class, edit::run);
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    assertEquals(TASKS, Files.readString(dirs.outside().resolve("tasks.md")));
  }

  private CycleState state() {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .spec(SPEC)
        .workspace(Workspace.atPath(dirs.workspace().toString()))
        .build();
  }
}
