package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.api.SubmitOptions;
import dev.agentos.api.SubmitRequest;
import dev.agentos.json.Json;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    description = {
      "Run a whole PEER cycle on the sample project, start to end.",
      "",
      "Brings Agent OS up (if it is not), copies examples/shop to a fresh git workspace in the",
      "state dir, submits its spec .agent-os/specs/2026-11-20-cart (3 tasks) and watches it.",
      "The executor uses the LLM configured in the environment (AGENTOS_AGENTS_EXECUTOR_BACKEND,",
      "_MODEL, _API_KEY, or _COMMAND) when the services were started with one, otherwise the",
      "example agent examples/agents/demo-agent.sh, which notes each step in NOTES.md.",
    })
final class DemoCommand extends CliCommand {
  /** The local stack's own project, registered by the demo (team {@value #TEAM}). */
  static final String PROJECT = "agentos-demo";

  static final String TEAM = "local";
  static final String SPEC = ".agent-os/specs/2026-11-20-cart";
  static final String EXAMPLE_AGENT = "examples/agents/demo-agent.sh";

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "15m",
      description = "how long to watch the cycle (default ${DEFAULT-VALUE})")
  String timeout;

  @Option(
      names = "--ready-timeout",
      paramLabel = "DURATION",
      defaultValue = "180s",
      description = "how long to wait for the services to start (default ${DEFAULT-VALUE})")
  String readyTimeout;

  @Override
  int run() {
    out()
        .println(
            style().bold("Agent OS demo") + ": the sample project examples/shop, spec " + SPEC);
    RunRecord run =
        UpCommand.up(this, Durations.parse(readyTimeout, "--ready-timeout"), Map.of()).run();

    DemoWorkspace.Created workspace =
        DemoWorkspace.create(
            env().repoRoot().resolve("examples/shop"), stateDir().workspaces(), Instant.now());
    out().println("Workspace " + workspace.dir());
    if (!workspace.git()) {
      out()
          .println(
              style().yellow("git is not available")
                  + ": the workspace is no repository, so steps record no commit.");
    }

    Map<String, AgentOverride> agents = null;
    List<String> verify = null;
    String configured = run.agents().get("executor");
    RoleAgent here = RoleAgent.of(env(), "executor");
    if (configured != null && here.problem().isPresent()) {
      out()
          .println(
              style().yellow("The executor agent of this environment is incomplete")
                  + ": "
                  + here.problem().get()
                  + ". The demo uses the example agent instead.");
      configured = null;
    }
    if (configured != null) {
      out()
          .println(
              "Executor agent: " + configured + " (from the environment the services started in)");
    } else {
      // The local stack's own profile and check (LocalStack.DEMO_DEFINITIONS): the example agent
      // writes NOTES.md, and Review checks that it did.
      agents = Map.of("executor", AgentOverride.of(LocalStack.DEMO_PROFILE));
      verify = List.of(LocalStack.DEMO_CHECK);
      out()
          .println(
              "Executor agent: the example agent "
                  + EXAMPLE_AGENT
                  + " (no LLM configured"
                  + (here.configured() && here.problem().isEmpty()
                      ? " in the running services; `agentos down` first to start them with yours"
                      : "; set AGENTOS_AGENTS_EXECUTOR_COMMAND to a coding agent such as"
                          + " 'claude -p' to use one: a chat model without tools cannot change"
                          + " the files, and Review does not pass steps that changed nothing")
                  + ")");
    }
    SubmitRequest request =
        new SubmitRequest(
            PROJECT,
            null,
            null,
            SPEC,
            Workspace.atPath(workspace.dir().toString()),
            new SubmitOptions(null, null, null, null, verify, agents, null, null),
            null);

    try (AgentOsClient client =
        AgentOsClient.connect(
            NatsTarget.fromUp(run, env(), LocalNatsUser.read(stateDir().root())))) {
      registerProject(client, stateDir().workspaces());
      JsonNode reply = client.call("submit", request);
      String id = reply.path("cycle_id").asText();
      out()
          .println(
              "Submitted cycle " + id + "; watching it (Ctrl-C stops watching, not the cycle):");
      out().println();
      out().flush();
      int outcome =
          new CycleWatcher(client, out(), style(), env().console())
              .watch(id, Durations.parse(timeout, "--timeout"));
      out().println();
      if (outcome == ExitCode.OK) {
        Path dir = workspace.dir();
        out().println("Ticked tasks:    " + dir.resolve(SPEC).resolve("tasks.md"));
        if (agents != null) {
          out().println("Agent's notes:   " + dir.resolve("NOTES.md"));
        }
      }
      out().println("Look around:     agentos status " + id + "   |   agentos logs " + id);
      out().println("                 agentos status   |   agentos services   |   agentos down");
      return outcome;
    }
  }

  /**
   * Registers the demo's project, its workspaces under the state dir, unless it is registered with
   * that root already: the demo's submit goes through the project registry as a team's would.
   */
  static void registerProject(AgentOsClient client, Path workspaces) {
    String root;
    try {
      root = workspaces.toRealPath().toString(); // the services compare real paths
    } catch (java.io.IOException e) {
      root = workspaces.toAbsolutePath().normalize().toString();
    }
    JsonNode existing = null;
    for (JsonNode project : client.call("projects.list", "{}").path("projects")) {
      if (project.path("name").asText().equals(PROJECT)) {
        existing = project;
      }
    }
    if (existing == null) {
      ObjectNode project = Json.mapper().createObjectNode().put("name", PROJECT).put("team", TEAM);
      project.putArray("workspace_roots").add(root);
      client.call("projects.add", project.toString());
      return;
    }
    for (JsonNode registered : existing.path("workspace_roots")) {
      if (registered.asText().equals(root)) {
        return;
      }
    }
    ObjectNode project = (ObjectNode) existing;
    project.remove("updated_at");
    ((ArrayNode) project.withArray("workspace_roots")).add(root);
    client.call("projects.set", project.toString());
  }
}
