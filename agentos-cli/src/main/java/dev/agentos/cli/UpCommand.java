package dev.agentos.cli;

import dev.agentos.cli.RunRecord.ProcessRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "up",
    description = {
      "Start NATS, the four role services and the web console in the background.",
      "",
      "Starts a nats-server with JetStream on a free port (unless NATS_URL or --nats names a",
      "server that answers), the planner, executor, express and review services and the web",
      "console (its URL is printed), which outlive this command. Logs, NATS data and run.json",
      "(pids, ports) go to the state dir: $AGENTOS_STATE_DIR, else <repo>/.agentos. The agent",
      "settings of this environment",
      "(AGENTOS_AGENTS_<ROLE>_*, AGENTOS_PROFILES_<NAME>_*, AGENTOS_CHECKS_<NAME>_RUN) are",
      "passed on to the services, with --profile and --check; every stack also offers the",
      "profile 'demo' (examples/agents/demo-agent.sh) and the check 'demo-notes'.",
    })
final class UpCommand extends CliCommand {
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "180s",
      description = "how long to wait for the services to be ready (default ${DEFAULT-VALUE})")
  String timeout;

  @Option(
      names = "--profile",
      paramLabel = "NAME=COMMAND",
      description =
          "an agent profile the services offer: a command agent run with the prompt on stdin, e.g."
              + " --profile claude='claude -p'; repeatable. Chat-model profiles come from the"
              + " environment (AGENTOS_PROFILES_<NAME>_BACKEND, _MODEL, _BASE_URL, _API_KEY)")
  Map<String, String> profiles;

  @Option(
      names = "--check",
      paramLabel = "NAME=SHELL",
      description =
          "a named check Review may run when a submit names it, e.g. --check tests='mvn -q"
              + " test'; repeatable")
  Map<String, String> checks;

  @Override
  int run() {
    LocalStack.Up up =
        up(this, Durations.parse(timeout, "--timeout"), definitions(profiles, checks));
    report(up.run());
    out().println();
    out()
        .println(
            "Next: `agentos submit --spec <folder> -w <workspace> --watch`, or `agentos demo`."
                + " Stop with `agentos down`.");
    return ExitCode.OK;
  }

  /**
   * The service properties that define {@code --profile} and {@code --check}: what runs is given to
   * the services when they start, never by a submit.
   */
  static Map<String, String> definitions(Map<String, String> profiles, Map<String, String> checks) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (profiles != null) {
      profiles.forEach(
          (name, command) -> {
            properties.put("agentos.profiles." + name + ".backend", "command");
            properties.put("agentos.profiles." + name + ".command", command);
          });
    }
    if (checks != null) {
      checks.forEach((name, line) -> properties.put("agentos.checks." + name + ".run", line));
    }
    return properties;
  }

  /**
   * Brings the stack up with {@code definitions} (service properties: profiles, checks) besides the
   * built-in demo profile and check, or says it already is; shared with {@code demo}.
   */
  static LocalStack.Up up(
      CliCommand command, Duration readyTimeout, Map<String, String> definitions) {
    LocalStack stack =
        new LocalStack(command.env(), command.stateDir(), command.out(), command.style());
    LocalStack.Up up = stack.up(command.root.natsUrl, readyTimeout, definitions);
    if (up.alreadyUp()) {
      command
          .out()
          .println("Agent OS is already up (state dir " + command.stateDir().root() + ").");
    } else {
      command.out().println(command.style().green("Agent OS is up."));
    }
    return up;
  }

  private void report(RunRecord run) {
    out()
        .println(
            "NATS      "
                + run.natsUrl()
                + (run.nats() == null ? " (yours)" : " (pid " + run.nats().pid() + ")"));
    Table table = new Table("SERVICE", "PID", "HEALTH", "LOG");
    for (ProcessRecord p : run.services()) {
      int health = LocalStack.healthStatus(p.port());
      table.row(
          p.name(),
          Long.toString(p.pid()),
          health == 200
              ? style().green("UP") + " http://127.0.0.1:" + p.port() + "/q/health"
              : style().red("DOWN (" + health + ")"),
          p.log());
    }
    table.lines(style()).forEach(out()::println);
    run.service(LocalStack.CONSOLE)
        .ifPresent(
            console ->
                out()
                    .println(
                        "Console   " + style().green("http://127.0.0.1:" + console.port() + "/")));
    if (run.agents().isEmpty()) {
      out()
          .println(
              "Agents    none configured in the environment: cycles need one per cycle (the demo"
                  + " brings its own) or AGENTOS_AGENTS_EXECUTOR_* (see `agentos doctor`).");
    } else {
      run.agents().forEach((role, agent) -> out().println("Agent     " + role + ": " + agent));
    }
  }
}
