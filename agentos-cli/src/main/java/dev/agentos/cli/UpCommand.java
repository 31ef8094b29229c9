package dev.agentos.cli;

import dev.agentos.cli.RunRecord.ProcessRecord;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "up",
    description = {
      "Start NATS and the four role services in the background.",
      "",
      "Starts a nats-server with JetStream on a free port (unless NATS_URL or --nats names a",
      "server that answers) and the planner, executor, express and review services, which",
      "outlive this command. Logs, NATS data and run.json (pids, ports) go to the state dir:",
      "$AGENTOS_STATE_DIR, else <repo>/.agentos. The agent settings of this environment",
      "(AGENTOS_AGENTS_<ROLE>_*) are passed on to the services.",
    })
final class UpCommand extends CliCommand {
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "180s",
      description = "how long to wait for the services to be ready (default ${DEFAULT-VALUE})")
  String timeout;

  @Override
  int run() {
    LocalStack.Up up = up(this, Durations.parse(timeout, "--timeout"));
    report(up.run());
    out().println();
    out()
        .println(
            "Next: `agentos submit --spec <folder> -w <workspace> --watch`, or `agentos demo`."
                + " Stop with `agentos down`.");
    return ExitCode.OK;
  }

  /** Brings the stack up, or says it already is; shared with {@code demo}. */
  static LocalStack.Up up(CliCommand command, Duration readyTimeout) {
    LocalStack stack =
        new LocalStack(command.env(), command.stateDir(), command.out(), command.style());
    LocalStack.Up up = stack.up(command.root.natsUrl, readyTimeout);
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
