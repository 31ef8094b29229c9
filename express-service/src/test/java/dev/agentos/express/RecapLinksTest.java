package dev.agentos.express;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.agent.RoleAgent;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Workspace;
import dev.agentos.testing.LinkedWorkspace;
import dev.agentos.worker.DetachedPhaseContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Express writes its recap inside the workspace or not at all. */
class RecapLinksTest {
  private static final String RECAPS = ".agent-os/recaps";
  private static final String RECAP = RECAPS + "/2026-11-20-cart.md";

  @TempDir Path temp;
  private LinkedWorkspace dirs;

  @BeforeEach
  void setUp() {
    dirs = LinkedWorkspace.under(temp);
  }

  @Test
  void aRecapsFolderLinkedOutsideGetsNoRecap() throws Exception {
    dirs.link(RECAPS, dirs.outside());
    assertRefused();
    assertEquals(0, dirs.outside().toFile().list().length);
  }

  @Test
  void aRecapFileLinkedOutsideIsNotWrittenThrough() throws Exception {
    Path victim = dirs.outsideFile("victim.md", "keep me");
    dirs.link(RECAP, victim);
    assertRefused();
    assertEquals("keep me", Files.readString(victim));
  }

  @Test
  void aDanglingRecapLinkCreatesNoFileOutside() throws Exception {
    dirs.link(RECAP, dirs.outside().resolve("planted.md"));
    assertRefused();
    assertFalse(Files.exists(dirs.outside().resolve("planted.md")));
  }

  private void assertRefused() {
    ExpressPhase express =
        new ExpressPhase(
            new RoleAgent(
                Phase.EXPRESS,
                state -> Optional.empty(),
                project -> Knowledge.NONE,
                Duration.ofSeconds(5),
                RoleAgent.DEFAULT_MAX_PROMPT_CHARS));
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .spec(".agent-os/specs/2026-11-20-cart")
            .workspace(Workspace.atPath(dirs.workspace().toString()))
            .iterations(List.of(Iteration.first()))
            .build();
    AgentOsException refused =
        assertThrows(
            AgentOsException.class,
            () -> express.run(new DetachedPhaseContext(state, dirs.workspace())));
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
  }
}
