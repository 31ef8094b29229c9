package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import dev.agentos.state.Verdict;
import dev.agentos.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Agent OS instructions as PEER cycles, chained, with a stand-in agent writing the files. */
class InstructionsIT {
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.executor.command",
                "bash " + Cluster.agentScript("spec-writer-agent.sh"),
                // The same agent, writing a tasks.md without tasks the first time.
                "agentos.profiles.bad-tasks-first.command",
                "env BAD_TASKS_FIRST=1 bash " + Cluster.agentScript("spec-writer-agent.sh")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void createSpecThenExecuteTasksThenGitCommitRunsAsOneChain() throws Exception {
    Path workspace = gitWorkspace();
    String first =
        submit(
            "{\"project\":\"chain\",\"instruction\":\"create-spec\",\"goal\":\"Shopping cart for"
                + " guests\",\"workspace\":{\"path\":\""
                + workspace
                + "\"},\"options\":{\"then\":[\"execute-tasks\",\"git-commit\"]}}");

    CycleState spec = cluster.awaitStatus(first, Status.COMPLETED, Duration.ofSeconds(60));
    assertTrue(
        spec.spec().matches("\\.agent-os/specs/\\d{4}-\\d{2}-\\d{2}-shopping-cart-for-guests"),
        spec.spec());
    String second = first + "-l2";
    CycleState executed = cluster.awaitStatus(second, Status.COMPLETED, Duration.ofSeconds(60));
    assertEquals(first, executed.parentCycleId());
    assertEquals("execute-tasks", executed.instruction());
    assertEquals(spec.spec(), executed.spec(), "the link works on the spec the first one wrote");
    String tasks = Files.readString(workspace.resolve(spec.spec()).resolve("tasks.md"));
    assertFalse(tasks.contains("[ ]"), "every task ticked:\n" + tasks);
    assertTrue(Files.exists(workspace.resolve(executed.currentIteration().express().recapPath())));

    String third = first + "-l3";
    CycleState committed = cluster.awaitStatus(third, Status.COMPLETED, Duration.ofSeconds(60));
    assertEquals("git-commit", committed.instruction());
    String log = git(workspace, "log", "-1", "--format=%B");
    assertTrue(log.contains("Agent-OS-Cycle: " + second), log);
    assertTrue(log.startsWith("Iteration 1:"), "message from the Express summary: " + log);
    assertEquals("", git(workspace, "status", "--porcelain").strip(), "everything committed");

    JsonNode history =
        cluster.requestJson(Topology.apiSubject("history"), "{\"project\":\"chain\"}");
    assertEquals(3, history.path("cycles").size(), history.toString());
  }

  @Test
  void anUnparsableTasksFileIsSentRoundAgainWithThatFeedback() throws Exception {
    Path workspace = gitWorkspace();
    // This cycle's executor writes a tasks.md with no task in it the first time.
    String id =
        submit(
            "{\"project\":\"shop\",\"instruction\":\"create-spec\",\"goal\":\"Wishlist\","
                + "\"workspace\":{\"path\":\""
                + workspace
                + "\"},\"options\":{\"agents\":{\"executor\":\"bad-tasks-first\"}}}");
    CycleState done = cluster.awaitStatus(id, Status.COMPLETED, Duration.ofSeconds(60));
    var firstReview = done.iterations().get(0).review();
    assertEquals(Verdict.REVISE, firstReview.verdict());
    assertTrue(
        firstReview.feedback().stream()
            .anyMatch(f -> f.what().contains("parses with at least one task")),
        firstReview.feedback().toString());
    assertEquals(Verdict.PASS, done.iterations().get(1).review().verdict());
    assertTrue(
        done.iterations().get(1).plan().steps().get(0).title().startsWith("Fix:"),
        "the second iteration fixes what Review named");
  }

  @Test
  void aWorkspaceInstructionOverridesTheBuiltInOfTheSameName() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    Files.createDirectories(workspace.resolve(".agent-os/instructions"));
    Files.writeString(
        workspace.resolve(".agent-os/instructions/create-tasks.md"),
        "---\nname: create-tasks\ndescription: our own way of writing tasks\nneeds: spec\n"
            + "plan: steps\nsteps:\n  - title: Write our tasks\n    detail: the team's way\n---\n");
    JsonNode listed =
        cluster.requestJson(
            Topology.apiSubject("instructions.list"),
            "{\"workspace\":{\"path\":\"" + workspace + "\"}}");
    assertTrue(
        listed.toString().contains("\"name\":\"create-tasks\",\"description\":\"our own way"),
        listed.toString());
    String id =
        submit(
            "{\"project\":\"shop\",\"instruction\":\"create-tasks\",\"spec\":\""
                + Workspaces.SPEC
                + "\",\"workspace\":{\"path\":\""
                + workspace
                + "\"}}");
    Await.until(
        Duration.ofSeconds(30),
        "the cycle to be planned",
        () -> cluster.state(id).currentIteration().plan() != null);
    assertEquals(
        "Write our tasks", cluster.state(id).currentIteration().plan().steps().get(0).title());
  }

  @Test
  void anUnknownInstructionIsRefusedAtSubmitWithNoStateWritten() throws Exception {
    Path workspace = Workspaces.withSpec(1);
    int before = cluster.store.cycleIds().size();
    JsonNode error =
        cluster
            .requestJson(
                Topology.apiSubject("submit"),
                "{\"project\":\"shop\",\"instruction\":\"write-poetry\",\"goal\":\"x\","
                    + "\"workspace\":{\"path\":\""
                    + workspace
                    + "\"}}")
            .path("error");
    assertEquals("INVALID_REQUEST", error.path("code").asText());
    assertTrue(error.path("message").asText().contains("unknown instruction 'write-poetry'"));
    assertTrue(error.path("message").asText().contains("create-spec"), "lists the known ones");
    assertEquals(before, cluster.store.cycleIds().size());
  }

  private static String submit(String body) throws Exception {
    JsonNode reply = cluster.requestJson(Topology.apiSubject("submit"), body);
    String id = reply.path("cycle_id").asText();
    assertFalse(id.isBlank(), reply.toString());
    return id;
  }

  private static Path gitWorkspace() throws Exception {
    Path dir = Files.createTempDirectory("agentos-chain-");
    Files.writeString(dir.resolve("README.md"), "# shop\n");
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "start");
    return dir;
  }

  private static String git(Path dir, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
    }
    return out;
  }
}
