package dev.agentos.cli;

import dev.agentos.api.ControlApi;
import dev.agentos.api.CycleSummary;
import dev.agentos.api.Requests;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.EventType;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.time.ZoneId;
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
      "0 COMPLETED, 1 FAILED, 2 CANCELLED, 3 PAUSED, AWAITING_APPROVAL or NEEDS_INPUT.",
      "With --follow, also prints the running agent's live output (messages, tool calls, file",
      "edits) from agentos.events.<id>.output (.<team> for a team's cycle) as it comes.",
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

  @Option(
      names = {"-f", "--follow"},
      description = "also print the agent's live output while it runs")
  boolean follow;

  @Override
  int run() {
    Duration limit = timeout == null ? null : Durations.parse(timeout, "--timeout");
    try (AgentOsClient client = connect()) {
      String id = cycleId != null ? cycleId : mostRecent(client);
      Dispatcher output = follow ? followOutput(client, id) : null;
      try {
        return new CycleWatcher(client, out(), style(), env().console()).watch(id, limit);
      } finally {
        if (output != null) {
          client.connection().closeDispatcher(output);
        }
      }
    }
  }

  /**
   * Prints each live output event of the cycle as it comes, the way {@code logs} shows events. A
   * team's cycle carries its team after the type ({@code agentos.events.<id>.output.<team>}), so
   * the cycle's every event is taken and the output kept.
   */
  private Dispatcher followOutput(AgentOsClient client, String id) {
    return client.subscribeEvents(
        id,
        message -> {
          CycleEvent event = Json.convertStored(Json.tree(message.getData()), CycleEvent.class);
          if (EventType.OUTPUT.wire().equals(event.type())) {
            out().println(EventLine.of(event, ZoneId.systemDefault(), style()));
            out().flush();
          }
        });
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
