package dev.agentos.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.knowledge.Knowledge;
import dev.agentos.knowledge.Standard;
import dev.agentos.state.CycleState;
import dev.agentos.state.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches the prompt from each layout's product, standards and spec documents. */
class LayoutContextTest {

  @TempDir Path workspace;
  @TempDir Path outside;

  @Test
  void readsV1StandardsInSubFoldersMostSpecificFirst() throws IOException {
    write(".agent-os/standards/code-style.md", "GENERAL STYLE");
    write(".agent-os/standards/code-style/javascript-style.md", "JS STYLE");

    String standards = context(".agent-os/specs/2026-03-02-cart", Knowledge.NONE).standards();

    assertEquals(
        "### code-style/javascript-style\n\nJS STYLE\n\n### code-style\n\nGENERAL STYLE",
        standards);
  }

  @Test
  void readsV2AreaFoldersWithGlobalLastAndTheProductFromAgentOs() throws IOException {
    write("agent-os/standards/global/coding-style.md", "GLOBAL");
    write("agent-os/standards/backend/api.md", "API");
    write("agent-os/standards/testing/test-writing.md", "TESTS");
    write("agent-os/product/mission.md", "Sell socks.");
    write("agent-os/product/decisions.md", "Use Postgres.");
    Knowledge team =
        new Knowledge(List.of(new Standard(Standard.TEAM_SCOPE, "security", "TEAM")), List.of());

    ProjectContext context = context("agent-os/specs/2026-05-04-orders", team);

    assertEquals(
        "### backend/api\n\nAPI\n\n### testing/test-writing\n\nTESTS\n\n"
            + "### global/coding-style\n\nGLOBAL\n\n### security\n\nTEAM",
        context.standards());
    assertEquals("Sell socks.", context.product());
    assertEquals("Use Postgres.", context.decisions());
  }

  @Test
  void givesOnlyTheStandardsAV3SpecSelectsAndSaysWhichWereLeftOut() throws IOException {
    String spec = "agent-os/specs/2026-05-04-1030-export";
    write(
        "agent-os/standards/index.yml",
        "api:\n  response-format:\n  errors:\nglobal:\n  naming:\n");
    write("agent-os/standards/api/response-format.md", "RESPONSES");
    write("agent-os/standards/api/errors.md", "ERRORS");
    write("agent-os/standards/global/naming.md", "NAMING");
    write(spec + "/standards.md", "# Standards\n\n## api/response-format\n\nRESPONSES applies.\n");

    String standards = context(spec, Knowledge.NONE).standards();

    assertEquals(
        "(notes on the standards: left out as "
            + spec
            + "/standards.md does not select them: api/errors, global/naming)\n\n"
            + "### api/response-format\n\nRESPONSES",
        standards);
  }

  // Mirrors a public v3 spec: standards.md names standards of another profile and carries the
  // rules.
  @Test
  void aV3SpecsStandardsMdReachesTheAgentWithItsRulesEvenWhenItSelectsNone() throws IOException {
    String spec = "agent-os/specs/2026-02-22-0100-checks";
    write("agent-os/standards/global/naming.md", "NAMING");
    write(spec + "/plan.md", "## Task 1: Codes\n");
    write(spec + "/standards.md", "## python/code-quality\n\n- Type hints on all signatures\n");

    ProjectContext context = context(spec, Knowledge.NONE);

    assertTrue(context.spec().contains("- Type hints on all signatures"), context.spec());
    assertTrue(context.standards().contains("NAMING"), "selecting none gives all");
  }

  @Test
  void usesTheV3IndexWhenTheSpecHasNoStandardsMd() throws IOException {
    write("agent-os/standards/index.yml", "global:\n  naming:\n    description: names\n");
    write("agent-os/standards/global/naming.md", "NAMING");
    write("agent-os/standards/global/old.md", "OLD");

    String standards = context("agent-os/specs/2026-05-04-1030-export", Knowledge.NONE).standards();

    assertTrue(standards.contains("### global/naming\n\nNAMING"), standards);
    assertFalse(standards.contains("OLD"), standards);
    assertTrue(standards.contains("index.yml does not select them: global/old"), standards);
  }

  @Test
  void putsTheSpecKitConstitutionFirstAndFeedsItsSpecDocumentsByImportance() throws IOException {
    String spec = "specs/003-albums";
    write(".specify/memory/constitution.md", "# Constitution\nTests first.");
    write(".agent-os/standards/code-style.md", "STYLE");
    write(spec + "/spec.md", "SPEC");
    write(spec + "/plan.md", "PLAN");
    write(spec + "/data-model.md", "MODEL");
    write(spec + "/contracts/albums.yaml", "openapi: 3.0.0");
    write(spec + "/tasks.md", "- [ ] T001 Do it\n");

    ProjectContext context = context(spec, Knowledge.NONE);

    assertTrue(
        context
            .standards()
            .startsWith(
                "### constitution (Spec Kit: the highest-priority rules)\n\n# Constitution\nTests"
                    + " first.\n\n### code-style"),
        context.standards());
    assertEquals(
        "SPEC\n\n### plan.md\n\nPLAN\n\n### data-model.md\n\nMODEL\n\n"
            + "### contracts/albums.yaml\n\nopenapi: 3.0.0",
        context.spec());
  }

  @Test
  void aStandardThatCannotBeReadIsANoteAndTheOthersStillCome() throws IOException {
    write("agent-os/standards/global/naming.md", "NAMING");
    write("agent-os/standards/global/huge.md", "");
    try (java.io.RandomAccessFile huge =
        new java.io.RandomAccessFile(
            workspace.resolve("agent-os/standards/global/huge.md").toFile(), "rw")) {
      huge.setLength(dev.agentos.workspace.WorkspaceFiles.MAX_READ_BYTES + 1); // sparse: no disk
    }

    String standards = context("agent-os/specs/2026-05-04-orders", Knowledge.NONE).standards();

    assertTrue(standards.contains("huge.md was not read: "), standards);
    assertTrue(standards.contains("NAMING"), standards);
  }

  @Test
  void aSymlinkedStandardIsANoteNotItsContent() throws IOException {
    Path secret = outside.resolve("secret.md");
    Files.writeString(secret, "SECRET", StandardCharsets.UTF_8);
    write("agent-os/standards/global/naming.md", "NAMING");
    Files.createSymbolicLink(workspace.resolve("agent-os/standards/global/linked.md"), secret);
    Files.createSymbolicLink(workspace.resolve("agent-os/standards/shared"), outside);

    String standards = context("agent-os/specs/2026-05-04-orders", Knowledge.NONE).standards();

    assertFalse(standards.contains("SECRET"), standards);
    assertTrue(
        standards.startsWith(
            "(notes on the standards: linked.md in standards/ is a symbolic link and was not read;"
                + " put the file itself there; shared in standards/ is a symbolic link"),
        standards);
    assertTrue(standards.endsWith("### global/naming\n\nNAMING"), standards);
  }

  private ProjectContext context(String spec, Knowledge team) {
    CycleState state =
        new CycleState.Builder()
            .cycleId("c-1")
            .project("shop")
            .spec(spec)
            .workspace(Workspace.atPath(workspace.toString()))
            .build();
    return ProjectContext.of(workspace, state, team, null);
  }

  private void write(String relative, String text) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
