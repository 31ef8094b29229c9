package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.agentos.nats.Topology;
import dev.agentos.testing.GitRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code parallel-agent.sh} as a test drives it: the files that steer it (a delay, steps that share
 * a file, steps that wait for each other), the call log it keeps outside every workspace, and the
 * repositories on a {@link GitRemote} whose cycles it works in. The call log lies outside the
 * workspaces because a step's worktree is thrown away when its replica dies: only a log beside them
 * shows what a killed step did before it was run again.
 */
final class ParallelAgent {
  static final String SPEC_KIT = "specs/001-shapes";

  /** One agent run of a step, from the agent's own log: when it started and when it ended. */
  record Run(String step, int attempt, long start, long end) {}

  private final GitRemote remote;
  private final Path calls;
  private final Path prompts;
  private final Path delay;
  private final Path sharedSteps;
  private final Path together;
  private int repos;

  private ParallelAgent(GitRemote remote, Path dir) throws IOException {
    this.remote = remote;
    this.calls = dir.resolve("calls.log");
    this.prompts = Files.createDirectories(dir.resolve("prompts"));
    this.delay = dir.resolve("delay");
    this.sharedSteps = dir.resolve("shared-steps");
    this.together = dir.resolve("together");
  }

  /** An agent with a fresh directory of its own, working in repositories on {@code remote}. */
  static ParallelAgent on(GitRemote remote) throws IOException {
    return new ParallelAgent(remote, Files.createTempDirectory("agentos-parallel-agent-"));
  }

  /** The property that lets the services fetch from and push to {@code remote}. */
  static Map<String, String> allowing(GitRemote remote) {
    return Map.of("agentos.workspace.git.allowed-remotes", remote.url("").replace(".git", ""));
  }

  /** The command line that runs this agent: its value of {@code agentos.agents.<role>.command}. */
  String command() {
    return String.join(
        " ",
        "bash",
        Cluster.agentScript("parallel-agent.sh").toString(),
        calls.toString(),
        prompts.toString(),
        delay.toString(),
        sharedSteps.toString(),
        together.toString());
  }

  /** Each step first sleeps for {@code seconds}; a step already sleeping keeps its own. */
  void delaySeconds(int seconds) throws IOException {
    Files.writeString(delay, String.valueOf(seconds));
  }

  /** The steps that each add a line to shared.txt, so that two side by side conflict. */
  void shareOneFile(String stepIds) throws IOException {
    Files.writeString(sharedSteps, stepIds + "\n");
  }

  /** The steps that each wait until all of them started: they end only if they ran at once. */
  void startTogether(String stepIds) throws IOException {
    Files.writeString(together, stepIds + "\n");
  }

  /** Back to steps of {@code seconds} each that neither share a file nor wait for each other. */
  void reset(int seconds) throws IOException {
    delaySeconds(seconds);
    Files.deleteIfExists(sharedSteps);
    Files.deleteIfExists(together);
  }

  /**
   * Every run of a step of {@code cycleId}, in the order they started; a running one ends never.
   */
  List<Run> runs(String cycleId) {
    List<String> log = callLines(cycleId);
    List<Run> runs = new ArrayList<>();
    for (String line : log) {
      String[] f = line.split(" ");
      if (!f[4].equals("start")) {
        continue;
      }
      long end =
          log.stream()
              .map(l -> l.split(" "))
              .filter(e -> e[2].equals(f[2]) && e[3].equals(f[3]) && e[4].equals("done"))
              .mapToLong(e -> Long.parseLong(e[0]))
              .findFirst()
              .orElse(Long.MAX_VALUE);
      runs.add(new Run(f[2], Integer.parseInt(f[3]), Long.parseLong(f[0]), end));
    }
    return runs;
  }

  /** The call log's lines of {@code cycleId}: "ms cycle step attempt start|done". */
  List<String> callLines(String cycleId) {
    try {
      if (!Files.exists(calls)) {
        return List.of();
      }
      return Files.readAllLines(calls).stream()
          .filter(l -> l.split(" ").length == 5 && l.split(" ")[1].equals(cycleId))
          .toList();
    } catch (IOException e) {
      // Read while the agent appends: the next poll reads the whole line.
      return List.of();
    }
  }

  /** How many of {@code callLines} (see {@link #callLines}) are {@code event} of {@code stepId}. */
  static long count(List<String> callLines, String stepId, String event) {
    return callLines.stream()
        .map(l -> l.split(" "))
        .filter(f -> f[2].equals(stepId) && f[4].equals(event))
        .count();
  }

  /** The prompt the agent got on its {@code run}-th run of {@code step} (1 for the first). */
  Path prompt(String cycleId, String step, int run) {
    return prompts.resolve(cycleId + "-" + step + "-" + run + ".txt");
  }

  /**
   * A Spec Kit feature: Setup's one task, then {@code parallel} tasks marked [P] in the next phase,
   * each waiting for Setup only. Returns the repository's name on the remote.
   */
  String specKitRepo(int parallel) throws IOException {
    StringBuilder tasks =
        new StringBuilder(
            "# Tasks: Shapes\n\n## Phase 1: Setup\n\n- [ ] T001 Create the package\n");
    tasks.append("\n## Phase 2: Foundational\n\n");
    IntStream.rangeClosed(2, parallel + 1)
        .forEach(i -> tasks.append(String.format("- [ ] T%03d [P] Shape number %d%n", i, i)));
    Map<String, String> files = new LinkedHashMap<>();
    files.put(".specify/memory/constitution.md", "Keep shapes small.\n");
    files.put(SPEC_KIT + "/spec.md", "# Shapes\n\nEach shape in a file of its own.\n");
    files.put(SPEC_KIT + "/tasks.md", tasks.toString());
    return newRepo(files);
  }

  /** A repository on the remote holding {@code files} on main; returns its name. */
  String newRepo(Map<String, String> files) throws IOException {
    String name = "shapes" + (++repos);
    remote.create(name, files);
    return name;
  }

  /**
   * Submits a cycle of {@code spec} in {@code repo}'s main branch; {@code options} is the inside of
   * the options object, or null. Returns the cycle id.
   */
  String submit(Cluster cluster, String repo, String spec, String options) throws Exception {
    String body =
        "{\"project\":\"shop\",\"workspace\":{\"git\":{\"url\":\""
            + remote.url(repo)
            + "\",\"ref\":\"main\"}},\"spec\":\""
            + spec
            + "\""
            + (options == null ? "" : ",\"options\":{" + options + "}")
            + "}";
    String cycleId =
        cluster.requestJson(Topology.apiSubject("submit"), body).path("cycle_id").asText();
    assertFalse(cycleId.isBlank(), "submit of " + body + " replied without a cycle id");
    return cycleId;
  }
}
