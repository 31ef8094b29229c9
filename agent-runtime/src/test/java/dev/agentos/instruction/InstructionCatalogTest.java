package dev.agentos.instruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.InstructionDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which document wins for a name: workspace over team over built-in. */
class InstructionCatalogTest {
  @TempDir Path workspace;

  private final Map<String, String> team = new HashMap<>();
  private final InstructionCatalog catalog =
      new InstructionCatalog(InstructionDocuments.of(() -> Map.copyOf(team)));

  private static String document(String name, String description) {
    return "---\nname: " + name + "\ndescription: " + description + "\nplan: agent\n---\n";
  }

  private void inWorkspace(String name, String text) throws Exception {
    Path dir = workspace.resolve(InstructionCatalog.WORKSPACE_DIR);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".md"), text);
  }

  @Test
  void aBuiltInIsFoundWhenNobodyOverridesIt() {
    Instruction found = catalog.find("create-tasks", workspace).orElseThrow();
    assertEquals("built-in", found.source());
    assertEquals(Instruction.PlanMode.STEPS, found.plan());
    assertEquals("built-in", catalog.find("create-tasks", null).orElseThrow().source());
  }

  @Test
  void theV2AndSpecKitNamesAreAliasesOfTheMatchingInstruction() {
    assertEquals(7, InstructionCatalog.ALIASES.size());
    InstructionCatalog.ALIASES.forEach(
        (alias, target) ->
            assertEquals(target, catalog.require(alias, workspace).name(), "alias " + alias));
    assertEquals("create-spec", catalog.require("shape-spec", workspace).name());
    assertEquals("execute-tasks", catalog.require("implement", workspace).name());
    assertEquals("create-tasks", catalog.require("tasks", null).name());
  }

  @Test
  void aDocumentNamedLikeAnAliasWinsOverTheAlias() throws Exception {
    team.put("implement", document("implement", "the team's own implement"));
    assertEquals("implement", catalog.find("implement", workspace).orElseThrow().name());

    inWorkspace("tasks", document("tasks", "this repository's tasks"));
    assertEquals(
        "this repository's tasks", catalog.find("tasks", workspace).orElseThrow().description());
  }

  @Test
  void workspaceOverridesTeamWhichOverridesBuiltIn() throws Exception {
    team.put("create-tasks", document("create-tasks", "the team's way"));
    assertEquals("team", catalog.find("create-tasks", workspace).orElseThrow().source());
    assertEquals(
        "the team's way", catalog.find("create-tasks", workspace).orElseThrow().description());

    inWorkspace("create-tasks", document("create-tasks", "this repository's way"));
    Instruction found = catalog.find("create-tasks", workspace).orElseThrow();
    assertEquals("workspace", found.source());
    assertEquals("this repository's way", found.description());
    assertEquals(Instruction.PlanMode.AGENT, found.plan());

    assertEquals(
        "team",
        catalog.find("create-tasks", null).orElseThrow().source(),
        "without a workspace the team's document applies");
    assertEquals(
        "built-in",
        catalog.find("git-commit", workspace).orElseThrow().source(),
        "other names stay built-in");
  }

  @Test
  void listShowsEveryInstructionOnceWithTheSourceThatWins() throws Exception {
    team.put("execute-tasks", document("execute-tasks", "team tasks"));
    team.put("write-changelog", document("write-changelog", "team changelog"));
    inWorkspace("write-changelog", document("write-changelog", "our changelog"));
    inWorkspace("tidy-up", document("tidy-up", "our tidy-up"));
    Files.writeString(
        workspace.resolve(InstructionCatalog.WORKSPACE_DIR).resolve("notes.txt"), "not one");

    Map<String, Instruction> all = catalog.list(workspace);
    assertEquals(
        java.util.List.of(
            "analyze-product",
            "create-spec",
            "create-tasks",
            "execute-tasks",
            "git-commit",
            "plan-product",
            "refine-spec",
            "tidy-up",
            "write-changelog"),
        java.util.List.copyOf(all.keySet()),
        "sorted by name");
    assertEquals("team", all.get("execute-tasks").source());
    assertEquals("workspace", all.get("write-changelog").source());
    assertEquals("our changelog", all.get("write-changelog").description());
    assertEquals("workspace", all.get("tidy-up").source());
    assertEquals("built-in", all.get("create-spec").source());

    Map<String, Instruction> teamView = catalog.list(null);
    assertEquals("team", teamView.get("write-changelog").source());
    assertTrue(!teamView.containsKey("tidy-up"), "a workspace's own stay in that workspace");
  }

  @Test
  void anUnknownNameIsRefusedListingTheKnownOnes() throws Exception {
    inWorkspace("tidy-up", document("tidy-up", "our tidy-up"));
    assertTrue(catalog.find("write-poetry", workspace).isEmpty());
    AgentOsException e =
        assertThrows(AgentOsException.class, () -> catalog.require("write-poetry", workspace));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    assertTrue(e.getMessage().startsWith("unknown instruction 'write-poetry'"), e.getMessage());
    for (String known : InstructionCatalog.BUILT_IN) {
      assertTrue(e.getMessage().contains(known), known + " in " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("tidy-up"), "the workspace's own too: " + e.getMessage());
  }

  @Test
  void aDocumentStoredUnderAnotherNameOrBrokenIsRefusedSayingWhere() throws Exception {
    team.put("ship", document("deploy", "misfiled"));
    AgentOsException misfiled =
        assertThrows(AgentOsException.class, () -> catalog.find("ship", null));
    assertTrue(
        misfiled.getMessage().contains("team instruction stored as 'ship' names itself 'deploy'"),
        misfiled.getMessage());

    inWorkspace("broken", "---\nname: broken\nplan: magic\n---\n");
    AgentOsException broken =
        assertThrows(AgentOsException.class, () -> catalog.find("broken", workspace));
    assertEquals(ErrorCode.INVALID_REQUEST, broken.code());
    assertTrue(
        broken.getMessage().contains("the workspace instruction 'broken' is invalid"),
        broken.getMessage());
    assertTrue(broken.getMessage().contains("'plan'"), broken.getMessage());
  }

  @Test
  void theTeamDocumentsAreReadAgainOnEveryLookup() {
    assertEquals("built-in", catalog.find("refine-spec", null).orElseThrow().source());
    team.put("refine-spec", document("refine-spec", "changed at run time"));
    assertEquals("team", catalog.find("refine-spec", null).orElseThrow().source());
  }

  @Test
  void aWorkspaceInstructionLinkedOutsideIsRefusedByNameAndLeftOutOfTheList(@TempDir Path elsewhere)
      throws Exception {
    Path planted = elsewhere.resolve("create-spec.md");
    Files.writeString(planted, document("create-spec", "planted from outside"));
    Path dir = Files.createDirectories(workspace.resolve(InstructionCatalog.WORKSPACE_DIR));
    Files.createSymbolicLink(dir.resolve("create-spec.md"), planted);

    AgentOsException refused =
        assertThrows(AgentOsException.class, () -> catalog.find("create-spec", workspace));
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    assertTrue(refused.getMessage().contains("leads outside the workspace"), refused.getMessage());
    assertEquals("built-in", catalog.list(workspace).get("create-spec").source());
  }
}
