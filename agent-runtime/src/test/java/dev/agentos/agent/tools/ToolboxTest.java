package dev.agentos.agent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.process.ProcessLauncher;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each role's tools over a workspace, called as a model would call them. */
class ToolboxTest {
  @TempDir Path dir;
  Path workspace;

  @BeforeEach
  void workspace() throws Exception {
    workspace = Files.createDirectories(dir.resolve("ws"));
    Files.createDirectories(workspace.resolve(".git"));
    Files.writeString(workspace.resolve(".git/config"), "[core]\nneedle in git\n");
    Files.createDirectories(workspace.resolve("src"));
    Files.writeString(workspace.resolve("src/a.txt"), "alpha\nneedle one\ngamma\n");
    Files.writeString(workspace.resolve("src/b.txt"), "needle two\n");
  }

  @Test
  void eachRoleGetsItsOwnTools() {
    assertEquals(
        List.of("list_files", "read_file", "search"), names(ToolAccess.planner(workspace)));
    assertEquals(
        List.of("list_files", "read_file", "search", "write_file", "apply_patch"),
        names(ToolAccess.executor(workspace)));
    assertEquals(
        List.of("list_files", "read_file", "search", "git_diff", "run_check"),
        names(ToolAccess.review(workspace, null, Map.of("tests", () -> "PASSED: ok"))));
    assertEquals(
        List.of("list_files", "read_file", "search", "write_recap"),
        names(ToolAccess.express(workspace, text -> {})));
    assertTrue(
        Toolbox.of(
                ToolAccess.executor(workspace),
                ToolSettings.DEFAULT.withRun(List.of("mvn -q test")),
                ProcessLauncher.standard())
            .names()
            .contains("run"));
  }

  @Test
  void listingAndSearchLeaveGitAloneAndShowLinksWithoutFollowingThem() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("x.txt"), "needle outside\n");
    Files.createSymbolicLink(workspace.resolve("out"), outside);
    Toolbox tools = toolbox(ToolAccess.executor(workspace));

    Toolbox.Result listed = call(tools, "list_files", "{}");
    Toolbox.Result found = call(tools, "search", "{\"pattern\":\"needle \\\\w+\"}");

    assertEquals("out (link)\nsrc/\nsrc/a.txt\nsrc/b.txt", listed.text());
    assertEquals("src/a.txt:2: needle one\nsrc/b.txt:1: needle two", found.text());
    assertTrue(call(tools, "write_file", "{\"path\":\".git/hooks/x\",\"content\":\"\"}").error());
    assertTrue(call(tools, "read_file", "{\"path\":\"out/x.txt\"}").error());
  }

  @Test
  void aPatternThatIsNotARegularExpressionOrMissingIsAToolError() {
    Toolbox tools = toolbox(ToolAccess.planner(workspace));

    Toolbox.Result invalid = call(tools, "search", "{\"pattern\":\"(\"}");
    Toolbox.Result missing = call(tools, "search", "{}");

    assertTrue(invalid.error() && invalid.text().contains("not a valid regular expression"));
    assertTrue(missing.error() && missing.text().contains("\"pattern\" is required"));
  }

  @Test
  void aSearchIsBoundedInItsMatchesAndItsPattern() throws Exception {
    Files.writeString(workspace.resolve("src/many.txt"), "needle\n".repeat(150));
    Toolbox tools = toolbox(ToolAccess.planner(workspace));

    Toolbox.Result many = call(tools, "search", "{\"pattern\":\"^needle$\",\"path\":\"src\"}");
    Toolbox.Result tooLong = call(tools, "search", "{\"pattern\":\"" + "a".repeat(501) + "\"}");

    assertFalse(many.error(), many.text());
    assertEquals(SearchTool.MAX_MATCHES, many.text().split("\n", -1).length - 1, many.text());
    assertTrue(
        many.text().endsWith("\n[… more matches left out: narrow the pattern or the path]"),
        many.text());
    assertTrue(tooLong.error() && tooLong.text().contains("1 to 500 characters"), tooLong.text());
  }

  @Test
  void aPatchCreatesChangesAndDeletesFilesAllOrNothing() throws Exception {
    Toolbox tools = toolbox(ToolAccess.executor(workspace));
    String patch =
        "--- /dev/null\n+++ b/src/new.txt\n@@ -0,0 +1,2 @@\n+first\n+second\n"
            + "--- a/src/b.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-needle two\n"
            + "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1,3 +1,3 @@\n alpha\n-needle one\n+NEEDLE\n"
            + " gamma\n";

    Toolbox.Result applied = call(tools, "apply_patch", json(patch));

    assertFalse(applied.error(), applied.text());
    assertEquals("first\nsecond\n", Files.readString(workspace.resolve("src/new.txt")));
    assertFalse(Files.exists(workspace.resolve("src/b.txt")));
    assertEquals("alpha\nNEEDLE\ngamma\n", Files.readString(workspace.resolve("src/a.txt")));

    String halfGood =
        "--- /dev/null\n+++ b/src/other.txt\n@@ -0,0 +1 @@\n+x\n"
            + "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1,2 +1,2 @@\n zeta\n-eta\n+ETA\n";
    Toolbox.Result refused = call(tools, "apply_patch", json(halfGood));

    assertTrue(refused.error());
    assertTrue(refused.text().contains("does not apply to src/a.txt"), refused.text());
    assertFalse(Files.exists(workspace.resolve("src/other.txt")), "nothing of it was applied");
  }

  @Test
  void unknownToolsAndArgumentsThatAreNotJsonAreToolErrors() {
    Toolbox tools = toolbox(ToolAccess.planner(workspace));

    assertTrue(call(tools, "write_file", "{}").text().contains("there is no tool 'write_file'"));
    assertTrue(call(tools, "read_file", "{not json").text().contains("not valid JSON"));
  }

  @Test
  void aCommandThatOutlivesItsDeadlineIsKilledAndTheModelIsToldSo() {
    ToolSettings settings =
        new ToolSettings(
            true,
            ToolSettings.DEFAULT_MAX_TURNS,
            ToolSettings.DEFAULT_MAX_TOKENS,
            ToolSettings.DEFAULT_MAX_TIME,
            List.of("sleep"),
            Duration.ofSeconds(1),
            ToolSettings.DEFAULT_RESULT_CHARS);
    Toolbox tools =
        Toolbox.of(ToolAccess.executor(workspace), settings, ProcessLauncher.standard());
    long started = System.nanoTime();

    Toolbox.Result result = call(tools, "run", "{\"command\":\"sleep 60\"}");

    assertFalse(result.error(), "the command ran: its outcome is the model's to read");
    assertTrue(
        result.text().startsWith("stopped after 1 s (its processes were killed)"), result.text());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0,
        "the call returned at the deadline, not when the command would have ended");
  }

  private Toolbox toolbox(ToolAccess access) {
    return Toolbox.of(access, ToolSettings.DEFAULT, ProcessLauncher.standard());
  }

  private List<String> names(ToolAccess access) {
    return toolbox(access).names();
  }

  private static Toolbox.Result call(Toolbox tools, String name, String arguments) {
    return tools.execute(
        ToolExecutionRequest.builder().id("1").name(name).arguments(arguments).build());
  }

  private static String json(String patch) {
    return "{\"patch\":\""
        + patch.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
        + "\"}";
  }
}
