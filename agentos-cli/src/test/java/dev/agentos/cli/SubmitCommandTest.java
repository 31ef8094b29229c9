package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.SubmitRequest;
import dev.agentos.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How submit's options become the API request. */
class SubmitCommandTest {
  @TempDir Path dir;
  Path workspace;

  @BeforeEach
  void workspaceWithASpec() throws Exception {
    workspace = dir.resolve("my shop!");
    Files.createDirectories(workspace.resolve(".agent-os/specs/2026-11-20-cart"));
  }

  private SubmitRequest request(Path here, String... args) {
    AgentOsCommand root = new AgentOsCommand(CliRun.env(here, Map.of()));
    CommandLine cli = new CommandLine(root);
    CommandLine.ParseResult parsed = cli.parseArgs(prepend("submit", args));
    SubmitCommand submit = (SubmitCommand) parsed.subcommand().commandSpec().userObject();
    return submit.request(here);
  }

  private static String[] prepend(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void aSpecPathGivenFromOutsideBecomesRelativeToTheWorkspaceItLiesIn() {
    SubmitRequest r =
        request(dir, "--spec", workspace.resolve(".agent-os/specs/2026-11-20-cart").toString());
    assertEquals(workspace.toString(), r.workspace().path());
    assertEquals(".agent-os/specs/2026-11-20-cart", r.spec());
  }

  @Test
  void theWorkspaceOfAV2OrV3SpecIsTheFolderAboveAgentOs() throws Exception {
    Files.createDirectories(workspace.resolve("agent-os/specs/2026-05-04-orders"));
    SubmitRequest r =
        request(dir, "--spec", workspace.resolve("agent-os/specs/2026-05-04-orders").toString());
    assertEquals(workspace.toString(), r.workspace().path());
    assertEquals("agent-os/specs/2026-05-04-orders", r.spec());
  }

  @Test
  void theWorkspaceOfASpecKitSpecIsTheFolderHoldingSpecifyAndSpecs() throws Exception {
    Files.createDirectories(workspace.resolve(".specify/memory"));
    Files.createDirectories(workspace.resolve("specs/003-albums"));
    SubmitRequest r = request(dir, "--spec", workspace.resolve("specs/003-albums").toString());
    assertEquals(workspace.toString(), r.workspace().path());
    assertEquals("specs/003-albums", r.spec());
  }

  @Test
  void aSpecRelativeToTheWorkspaceIsKeptAsItIs() {
    SubmitRequest r =
        request(dir, "--spec", ".agent-os/specs/2026-11-20-cart", "-w", workspace.toString());
    assertEquals(".agent-os/specs/2026-11-20-cart", r.spec());
  }

  @Test
  void theWorkspaceDefaultsToTheCurrentDirectoryAndNamesTheProject() {
    SubmitRequest r = request(workspace, "--goal", "Add a cart");
    assertEquals(workspace.toString(), r.workspace().path());
    assertEquals("my-shop", r.project());
    assertEquals("Add a cart", r.goal());
  }

  @Test
  void optionsBecomeTheSnakeCaseRequestTheApiReads() {
    SubmitRequest r =
        request(
            workspace,
            "--goal",
            "g",
            "--project",
            "shop",
            "--max-iterations",
            "2",
            "--verify",
            "tests",
            "--verify",
            "lint",
            "--agent",
            "executor=claude",
            "--approve-after-plan",
            "--id",
            "my-cycle-1");
    JsonNode json = Json.tree(Json.write(r));
    assertEquals("shop", json.path("project").asText());
    assertEquals("my-cycle-1", json.path("cycle_id").asText());
    assertEquals(2, json.path("options").path("max_iterations").asInt());
    assertEquals("lint", json.path("options").path("verify").get(1).asText());
    assertEquals(
        "claude", json.path("options").path("agents").path("executor").path("profile").asText());
    assertEquals(
        1,
        json.path("options").path("agents").path("executor").size(),
        "only the profile's name is sent");
    assertTrue(json.path("options").path("approvals").path("after_plan").asBoolean());
    assertEquals(false, json.path("options").path("approvals").path("before_complete").asBoolean());
  }

  @Test
  void withoutOptionsNoOptionsAreSent() {
    JsonNode json = Json.tree(Json.write(request(workspace, "--goal", "g")));
    assertTrue(json.path("options").isMissingNode(), json.toString());
  }

  @Test
  void aWorkspaceThatIsNoDirectoryIsAUsageError() {
    CliException e =
        assertThrows(
            CliException.class,
            () -> request(dir, "--goal", "g", "-w", dir.resolve("nope").toString()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
  }

  @Test
  void gitRefAndGitPathBecomeAGitWorkspaceWithTheSpecAsGivenAndTheRepositoryAsProject() {
    JsonNode json =
        Json.tree(
            Json.write(
                request(
                    dir,
                    "--git",
                    "https://git.example/team/shop.git",
                    "--ref",
                    "main",
                    "--git-path",
                    "services/cart",
                    "--spec",
                    ".agent-os/specs/2026-11-20-cart")));
    assertEquals("https://git.example/team/shop.git", json.at("/workspace/git/url").asText());
    assertEquals("main", json.at("/workspace/git/ref").asText());
    assertTrue(json.at("/workspace/path").isMissingNode(), json.toString());
    assertEquals(".agent-os/specs/2026-11-20-cart", json.path("spec").asText());
    assertEquals("shop", json.path("project").asText());
    assertEquals("services/cart", json.at("/workspace/git/path").asText(), "the agents' folder");
  }

  @Test
  void gitPathIsForGitWorkspacesOnly() {
    CliException e =
        assertThrows(
            CliException.class, () -> request(dir, "--goal", "g", "--git-path", "services/cart"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("--git-path is for --git"), e.getMessage());
  }

  @Test
  void isolateAsksForAWorktreeOfItsOwnAndCannotGoWithGit() {
    JsonNode json = Json.tree(Json.write(request(workspace, "--goal", "g", "--isolate")));
    assertTrue(json.at("/workspace/isolate").asBoolean(), json.toString());
    CliException e =
        assertThrows(
            CliException.class,
            () -> request(dir, "--goal", "g", "--isolate", "--git", "https://git.example/x.git"));
    assertEquals(ExitCode.USAGE, e.exitCode());
  }

  @Test
  void projectNamesAreMadeValid() {
    assertEquals("my-shop", SubmitCommand.projectName(Path.of("/x/my shop!")));
    assertEquals("project", SubmitCommand.projectName(Path.of("/x/!!!")));
    assertEquals(64, SubmitCommand.projectName(Path.of("/x/" + "a".repeat(80))).length());
  }
}
