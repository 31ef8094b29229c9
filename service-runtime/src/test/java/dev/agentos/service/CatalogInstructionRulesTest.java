package dev.agentos.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new spec folder goes where the workspace's own layout keeps its specs. */
class CatalogInstructionRulesTest {
  private static final Instant NOW = Instant.parse("2026-05-04T10:30:00Z");
  private static final String GOAL = "Let customers keep items";

  @TempDir Path workspace;

  @Test
  void anAgentOsV1OrUnknownWorkspaceGetsADotAgentOsSpec() throws IOException {
    assertEquals(
        ".agent-os/specs/2026-05-04-let-customers-keep-items",
        CatalogInstructionRules.newSpecFolder(workspace, GOAL, NOW));
    Files.createDirectories(workspace.resolve(".agent-os/specs"));
    Files.createDirectories(workspace.resolve(".specify"));
    assertEquals(
        ".agent-os/specs/2026-05-04-let-customers-keep-items",
        CatalogInstructionRules.newSpecFolder(workspace, GOAL, NOW),
        "a workspace that already keeps v1 specs stays v1");
  }

  @Test
  void anAgentOsV2OrV3WorkspaceGetsAnAgentOsSpec() throws IOException {
    Files.createDirectories(workspace.resolve("agent-os/standards"));
    assertEquals(
        "agent-os/specs/2026-05-04-let-customers-keep-items",
        CatalogInstructionRules.newSpecFolder(workspace, GOAL, NOW));
  }

  @Test
  void aSpecKitWorkspaceGetsTheNextNumberedFeature() throws IOException {
    Files.createDirectories(workspace.resolve(".specify/memory"));
    assertEquals(
        "specs/001-let-customers-keep-items",
        CatalogInstructionRules.newSpecFolder(workspace, GOAL, NOW));
    Files.createDirectories(workspace.resolve("specs/007-albums"));
    Files.createDirectories(workspace.resolve("specs/012-sharing"));
    Files.createDirectories(workspace.resolve("specs/notes"));
    assertEquals(
        "specs/013-let-customers-keep-items",
        CatalogInstructionRules.newSpecFolder(workspace, GOAL, NOW));
  }
}
