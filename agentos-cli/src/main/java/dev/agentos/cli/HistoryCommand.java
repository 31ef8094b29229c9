package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.HistoryApi;
import dev.agentos.json.Json;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "history",
    description = {
      "Show the ended cycles, newest first.",
      "",
      "One line per COMPLETED, FAILED or CANCELLED cycle from the agentos-history bucket:",
      "instruction, iterations, the last review's score and band, tokens, cost, wall time",
      "and the models its agents used. `agentos stats` sums them up.",
    })
final class HistoryCommand extends CliCommand {
  @Mixin HistoryFilters filters;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "at most this many cycles (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "the API's reply as JSON: {\"cycles\":[...]}")
  boolean json;

  @Override
  int run() {
    Instant now = Instant.now();
    HistoryApi.Query query = filters.query(now, limit);
    try (AgentOsClient client = connect()) {
      JsonNode reply = client.call("history", query);
      if (json) {
        out().println(reply.toPrettyString());
      } else {
        HistoryApi.HistoryReply history = Json.convertStored(reply, HistoryApi.HistoryReply.class);
        HistoryTable.lines(history.cycles(), now, style()).forEach(out()::println);
      }
      return ExitCode.OK;
    }
  }
}
