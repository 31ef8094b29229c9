package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.SubmitOptions;
import dev.agentos.api.SubmitRequest;
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
  static final String PROJECT = "shop";
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
        AgentOsClient.connect(new NatsTarget(run.natsUrl(), NatsTarget.FROM_UP))) {
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
}
