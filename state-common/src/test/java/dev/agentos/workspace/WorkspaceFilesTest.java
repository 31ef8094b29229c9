package dev.agentos.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.LinkedWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceFilesTest {
  @TempDir Path temp;
  private Path workspace;
  private Path outside;
  private WorkspaceFiles files;

  @BeforeEach
  void setUp() throws Exception {
    LinkedWorkspace dirs = LinkedWorkspace.under(temp);
    workspace = dirs.workspace();
    outside = dirs.outside();
    dirs.outsideFile("secret.txt", "SECRET=1");
    files = WorkspaceFiles.of(workspace);
  }

  @Test
  void readsAFileInsideAndNothingForAMissingOne() throws Exception {
    Files.createDirectories(workspace.resolve("docs"));
    Files.writeString(workspace.resolve("docs/a.md"), "hello");
    assertEquals(Optional.of("hello"), files.read("docs/a.md", "doc"));
    assertEquals(Optional.empty(), files.read("docs/missing.md", "doc"));
  }

  @Test
  void refusesAFileLinkedToTheServiceEnvironment() throws Exception {
    Files.createDirectories(workspace.resolve(".agent-os/product"));
    Files.createSymbolicLink(
        workspace.resolve(".agent-os/product/mission.md"), Path.of("/proc/self/environ"));
    AgentOsException refused =
        assertThrows(
            AgentOsException.class, () -> files.read(".agent-os/product/mission.md", "mission"));
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    assertTrue(refused.getMessage().contains("leads outside the workspace"), refused.getMessage());
    String note = files.readForPrompt(".agent-os/product/mission.md", "(none)");
    assertTrue(note.startsWith("(.agent-os/product/mission.md was not read:"), note);
    assertFalse(note.contains("PATH="), note);
  }

  @Test
  void refusesAFolderLinkedOutsideForFilesThatExistAndFilesThatDoNotYet() throws Exception {
    Files.createDirectories(workspace.resolve(".agent-os"));
    Files.createSymbolicLink(workspace.resolve(".agent-os/recaps"), outside);
    assertThrows(AgentOsException.class, () -> files.read(".agent-os/recaps/secret.txt", "recap"));
    assertThrows(
        AgentOsException.class, () -> files.resolve(".agent-os/recaps/not-yet/new.md", "recap"));
    assertThrows(
        AgentOsException.class, () -> files.write(".agent-os/recaps/new.md", "recap", "x"));
    assertFalse(Files.exists(outside.resolve("new.md")));
    assertEquals(List.of("secret.txt"), List.of(outside.toFile().list()));
  }

  @Test
  void refusesADanglingLinkThatWouldCreateAFileOutside() throws Exception {
    Files.createSymbolicLink(workspace.resolve("recap.md"), outside.resolve("planted.md"));
    assertThrows(AgentOsException.class, () -> files.write("recap.md", "recap", "x"));
    assertFalse(Files.exists(outside.resolve("planted.md")));
  }

  @Test
  void writesThroughNoLinkAndKeepsTheFileReadable() throws Exception {
    files.write(".agent-os/recaps/cart.md", "recap", "# recap\n");
    Path written = workspace.resolve(".agent-os/recaps/cart.md");
    assertEquals("# recap\n", Files.readString(written));
    assertEquals(
        "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
  }

  @Test
  void aLinkInsideTheWorkspaceIsReplacedNotFollowedOnWrite() throws Exception {
    Files.writeString(workspace.resolve("real.md"), "original");
    Files.createSymbolicLink(workspace.resolve("link.md"), workspace.resolve("real.md"));
    assertEquals(Optional.of("original"), files.read("link.md", "doc"));
    files.write("link.md", "doc", "new");
    assertEquals("original", Files.readString(workspace.resolve("real.md")));
    assertEquals("new", Files.readString(workspace.resolve("link.md")));
  }

  @Test
  void refusesAbsolutePathsParentReferencesAndSpecialFiles() throws Exception {
    assertThrows(AgentOsException.class, () -> files.read("/etc/passwd", "doc"));
    assertThrows(AgentOsException.class, () -> files.read("docs/../../outside/secret.txt", "doc"));
    Files.createDirectories(workspace.resolve("a-dir"));
    AgentOsException notAFile =
        assertThrows(AgentOsException.class, () -> files.read("a-dir", "doc"));
    assertTrue(notAFile.getMessage().contains("not a regular file"), notAFile.getMessage());
  }

  @Test
  void listingAFolderLinkedOutsideIsRefused() throws Exception {
    Files.createDirectories(workspace.resolve(".agent-os"));
    Files.createSymbolicLink(workspace.resolve(".agent-os/standards"), outside);
    assertThrows(AgentOsException.class, () -> files.list(".agent-os/standards", ".txt"));
    assertFalse(files.isDirectory(".agent-os/standards"));
  }

  @Test
  void insideChecksTheNearestExistingFolderOfAPathThatDoesNotExistYet() throws Exception {
    Files.createDirectories(workspace.resolve(".agent-os"));
    Files.createSymbolicLink(workspace.resolve(".agent-os/specs"), outside);
    AgentOsException refused =
        assertThrows(
            AgentOsException.class,
            () -> WorkspacePaths.inside(workspace, ".agent-os/specs/2026-01-01-new", "spec"));
    assertTrue(refused.getMessage().contains("leaves the workspace"), refused.getMessage());
    Path fine = WorkspacePaths.inside(workspace, ".agent-os/other/2026-01-01-new", "spec");
    assertEquals(workspace.resolve(".agent-os/other/2026-01-01-new"), fine);
  }
}
