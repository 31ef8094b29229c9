package dev.agentos.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new spec folder and a recap go where the workspace's own layout keeps them. */
class SpecLayoutFilesTest {
  private static final Instant NOW = Instant.parse("2026-05-04T10:30:00Z");
  private static final String GOAL = "Let customers keep items!";

  @TempDir Path workspace;

  @Test
  void aNewSpecGetsTheFolderNameOfTheWorkspacesLayout() throws IOException {
    assertEquals(
        ".agent-os/specs/2026-05-04-let-customers-keep-items",
        SpecLayoutFiles.newSpecFolder(workspace, GOAL, NOW),
        "no layout yet: Agent OS v1");
    mkdirs("agent-os/standards");
    assertEquals(
        "agent-os/specs/2026-05-04-let-customers-keep-items",
        SpecLayoutFiles.newSpecFolder(workspace, GOAL, NOW));
    Files.writeString(workspace.resolve("agent-os/standards/index.yml"), "global:\n");
    assertEquals(SpecLayout.AGENT_OS_V3, SpecLayoutFiles.forNewSpec(workspace));
    assertEquals(
        "agent-os/specs/2026-05-04-1030-let-customers-keep-items",
        SpecLayoutFiles.newSpecFolder(workspace, GOAL, NOW),
        "v3 names its spec folders to the minute");
  }

  @Test
  void aSpecKitFeatureTakesTheNextFreeNumber() throws IOException {
    mkdirs(".specify/memory");
    assertEquals(
        "specs/001-let-customers-keep-items", SpecLayoutFiles.newSpecFolder(workspace, GOAL, NOW));
    mkdirs("specs/007-albums");
    mkdirs("specs/012-sharing");
    mkdirs("specs/notes");
    mkdirs("specs/99999999999999-too-long-to-be-a-number");
    assertEquals(
        "specs/013-let-customers-keep-items", SpecLayoutFiles.newSpecFolder(workspace, GOAL, NOW));
  }

  @Test
  void onlyAgentOsOwnFilesInDotAgentOsDoNotMakeTheWorkspaceV1() throws IOException {
    mkdirs(".specify/memory");
    mkdirs(".agent-os/recaps"); // what an earlier goal cycle leaves
    assertEquals(SpecLayout.SPEC_KIT, SpecLayoutFiles.forNewSpec(workspace));
    assertEquals(java.util.List.of(SpecLayout.SPEC_KIT), SpecLayout.inWorkspace(workspace));
    mkdirs(".agent-os/product");
    assertEquals(
        SpecLayout.AGENT_OS_V1,
        SpecLayoutFiles.forNewSpec(workspace),
        "a team's v1 product folder keeps new specs in v1");
  }

  @Test
  void aRecapGoesWhereItsLayoutKeepsIt() {
    assertEquals(
        ".agent-os/recaps/2026-11-20-cart.md",
        SpecLayoutFiles.recapFile(
            SpecLayout.AGENT_OS_V1, ".agent-os/specs/2026-11-20-cart", "recap", "2026-11-20-cart"));
    assertEquals(
        "agent-os/specs/2026-05-04-history/implementation/recap.md",
        SpecLayoutFiles.recapFile(
            SpecLayout.AGENT_OS_V2, "agent-os/specs/2026-05-04-history/", "recap", "x"));
    assertEquals(
        "agent-os/specs/2026-05-04-1030-export/recap-create-tasks.md",
        SpecLayoutFiles.recapFile(
            SpecLayout.AGENT_OS_V3,
            "agent-os/specs/2026-05-04-1030-export",
            "recap-create-tasks",
            "x"));
    assertEquals(
        "specs/007-playlists/recap.md",
        SpecLayoutFiles.recapFile(SpecLayout.SPEC_KIT, "specs/007-playlists", "recap", "x"));
    assertEquals(
        ".agent-os/recaps/goal-c-1.md",
        SpecLayoutFiles.recapFile(SpecLayout.SPEC_KIT, null, "recap", "goal-c-1"));
  }

  private void mkdirs(String relative) throws IOException {
    Files.createDirectories(workspace.resolve(relative));
  }
}
