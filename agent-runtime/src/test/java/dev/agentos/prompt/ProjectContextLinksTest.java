package dev.agentos.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.CycleState;
import dev.agentos.state.Workspace;
import dev.agentos.testing.LinkedWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository that links its Agent OS documents out of the workspace gets a note in the prompt,
 * never the file the link points at: neither the service's environment nor a file next door.
 */
class ProjectContextLinksTest {
  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  private static final String SECRET = "SECRET-OUTSIDE-THE-WORKSPACE";

  private final LinkedWorkspace dirs;

  ProjectContextLinksTest(@TempDir Path temp) throws IOException {
    dirs = LinkedWorkspace.under(temp);
    dirs.outsideFile("secret.md", SECRET);
  }

  @Test
  void aMissionLinkedToTheServiceEnvironmentBecomesANote() throws IOException {
    link(".agent-os/product/mission.md", Path.of("/proc/self/environ"));
    String product = context(null).product();
    assertTrue(product.startsWith("(.agent-os/product/mission.md was not read:"), product);
    assertTrue(product.contains("leads outside the workspace"), product);
    assertFalse(product.contains("PATH="), product);
  }

  @Test
  void aMissionLiteLinkedOutsideBecomesANote() throws IOException {
    link(".agent-os/product/mission-lite.md", dirs.outside().resolve("secret.md"));
    assertFalse(context(null).product().contains(SECRET));
  }

  @Test
  void aStandardLinkedOutsideBecomesANoteAndTheOthersStay() throws IOException {
    Files.createDirectories(dirs.workspace().resolve(".agent-os/standards"));
    Files.writeString(dirs.workspace().resolve(".agent-os/standards/style.md"), "TABS");
    link(".agent-os/standards/leak.md", dirs.outside().resolve("secret.md"));
    String standards = context(null).standards();
    assertTrue(standards.contains("TABS"), standards);
    assertTrue(
        standards.contains("leak.md in standards/ is a symbolic link and was not read"), standards);
    assertFalse(standards.contains(SECRET), standards);
  }

  @Test
  void aStandardsFolderLinkedOutsideIsNotListed() throws IOException {
    Files.createDirectories(dirs.workspace().resolve(".agent-os"));
    link(".agent-os/standards", dirs.outside());
    String standards = context(null).standards();
    assertFalse(standards.contains(SECRET), standards);
    assertTrue(
        standards.contains(".agent-os/standards leads outside the workspace and was not read"),
        standards);
  }

  @Test
  void decisionsLinkedOutsideBecomeANote() throws IOException {
    link(".agent-os/product/decisions.md", dirs.outside().resolve("secret.md"));
    String decisions = context(null).decisions();
    assertTrue(decisions.startsWith("(.agent-os/product/decisions.md was not read:"), decisions);
    assertFalse(decisions.contains(SECRET));
  }

  @Test
  void aSpecFolderOrSpecFileLinkedOutsideIsRefused() throws IOException {
    Files.createDirectories(dirs.workspace().resolve(".agent-os/specs"));
    link(SPEC, dirs.outside());
    AgentOsException folder = assertThrows(AgentOsException.class, () -> context(SPEC));
    assertEquals(ErrorCode.INVALID_REQUEST, folder.code());

    Files.delete(dirs.workspace().resolve(SPEC));
    Files.createDirectories(dirs.workspace().resolve(SPEC));
    link(SPEC + "/spec.md", dirs.outside().resolve("secret.md"));
    AgentOsException file = assertThrows(AgentOsException.class, () -> context(SPEC));
    assertTrue(file.getMessage().contains("leads outside the workspace"), file.getMessage());
  }

  @Test
  void aSpecFolderThatDoesNotExistYetIsStillWrittenByTheCycle() {
    assertTrue(context(SPEC).spec().contains("does not exist yet"));
  }

  private ProjectContext context(String spec) {
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .spec(spec)
            .goal(spec == null ? "a goal" : null)
            .workspace(Workspace.atPath(dirs.workspace().toString()))
            .build();
    return ProjectContext.of(dirs.workspace(), state, Knowledge.NONE, null);
  }

  private void link(String relative, Path target) throws IOException {
    dirs.link(relative, target);
  }
}
