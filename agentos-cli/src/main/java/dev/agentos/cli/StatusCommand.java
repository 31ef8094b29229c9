package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ControlApi;
import dev.agentos.api.Requests;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "status",
    description = {
      "Show the cycles, or one cycle in full.",
      "",
      "Without an id: a table of the cycles, newest first. With an id: that cycle's phases",
      "and steps with their status, attempts, time and usage.",
    })
final class StatusCommand extends CliCommand {
  @Parameters(arity = "0..1", paramLabel = "ID", description = "the cycle to show in full")
  String cycleId;

  @Option(names = "--project", paramLabel = "NAME", description = "only this project's cycles")
  String project;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "only cycles in this status: ${COMPLETION-CANDIDATES}")
  Status status;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "at most this many cycles (default ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--cursor",
      paramLabel = "ID",
      defaultValue = "",
      description =
          "the page after this cycle id (the `next_cursor` of the page before); newest first, and"
              + " a page reads about N cycles however many are stored")
  String cursor;

  @Option(
      names = "--json",
      description =
          "the API's reply as JSON: {\"cycles\":[...]} for the table, the cycle state for an id")
  boolean json;

  @Override
  int run() {
    try (AgentOsClient client = connect()) {
      if (cycleId != null) {
        JsonNode state = client.call("status", new Requests.CycleRef(cycleId));
        if (json) {
          out().println(state.toPrettyString());
        } else {
          CycleState cycle = CycleStore.decode(Json.write(state));
          CycleReport.lines(cycle, Instant.now(), style()).forEach(out()::println);
        }
        return ExitCode.OK;
      }
      JsonNode reply = client.call("list", new Requests.ListCycles(project, status, limit, cursor));
      if (json) {
        out().println(reply.toPrettyString());
      } else {
        ControlApi.ListReply list = Json.convertStored(reply, ControlApi.ListReply.class);
        CycleTable.lines(list.cycles(), Instant.now(), style()).forEach(out()::println);
        if (list.nextCursor() != null) {
          out().println("more: agentos status --cursor " + list.nextCursor());
        }
      }
      return ExitCode.OK;
    }
  }
}
