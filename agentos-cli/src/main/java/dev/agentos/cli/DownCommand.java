package dev.agentos.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "down",
    description = {
      "Stop what `agentos up` started, and only that.",
      "",
      "The pids in run.json get SIGTERM, and SIGKILL if they have not stopped after --timeout.",
      "NATS data, logs and workspaces stay.",
    })
final class DownCommand extends CliCommand {
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "how long to let them stop gracefully (default ${DEFAULT-VALUE})")
  String timeout;

  @Override
  int run() {
    LocalStack stack = new LocalStack(env(), stateDir(), out(), style());
    List<String> report = stack.down(Durations.parse(timeout, "--timeout"));
    if (report.isEmpty()) {
      out().println("Agent OS is not up: nothing is recorded in " + stateDir().runFile() + ".");
      return ExitCode.OK;
    }
    report.forEach(out()::println);
    out()
        .println(
            "Agent OS is down. Data and logs stay in "
                + stateDir().root()
                + "; `agentos up` starts it again.");
    return ExitCode.OK;
  }
}
