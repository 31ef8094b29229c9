package dev.agentos.cli;

import dev.agentos.api.ControlApi;
import dev.agentos.api.CycleSummary;
import dev.agentos.api.Requests;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    description = {
      "Follow a cycle live until it stops; exit with its outcome.",
      "",
      "Shows the phase, step n/m with a progress bar, elapsed time and agent usage. Exit code:",
      "0 COMPLETED, 1 FAILED, 2 CANCELLED, 3 PAUSED or AWAITING_APPROVAL.",
    })
final class WatchCommand extends CliCommand {
  @Parameters(
      arity = "0..1",
      paramLabel = "ID",
      description = "the cycle (default: the most recent one still running, else the most recent)")
  String cycleId;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "give up after this long (e.g. 90s, 10m; exit code 8); default: never")
  String timeout;

  @Override
  int run() {
    Duration limit = timeout == null ? null : Durations.parse(timeout, "--timeout");
    try (AgentOsClient client = connect()) {
      String id = cycleId != null ? cycleId : mostRecent(client);
      return new CycleWatcher(client, out(), style(), env().console()).watch(id, limit);
    }
  }

  private String mostRecent(AgentOsClient client) {
    List<CycleSummary> cycles =
        client
            .call("list", new Requests.ListCycles(null, null, 50), ControlApi.ListReply.class)
            .cycles();
    if (cycles.isEmpty()) {
      throw new CliException(
          ExitCode.NOT_FOUND, "there are no cycles yet; start one with `agentos submit`");
    }
    CycleSummary pick =
        cycles.stream().filter(c -> !c.status().isFinal()).findFirst().orElse(cycles.get(0));
    note(
        "watching "
            + pick.cycleId()
            + ", the most recent cycle"
            + (pick.status().isFinal() ? "" : " still running"));
    return pick.cycleId();
  }
}
