package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.HistoryApi;
import dev.agentos.history.Stats;
import dev.agentos.json.Json;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "stats",
    description = {
      "Show what the ended cycles add up to.",
      "",
      "Success rate, mean review score, mean iterations to PASS, mean cost and wall time per",
      "cycle and tokens: overall, per project, per instruction and per model (a cycle counts",
      "once for every model its agents used).",
    })
final class StatsCommand extends CliCommand {
  @Mixin HistoryFilters filters;

  @Option(
      names = "--json",
      description =
          "the API's reply as JSON: {\"overall\",\"by_project\",\"by_instruction\",\"by_model\"}")
  boolean json;

  @Option(
      names = "--rebuild",
      description = {
        "recompute the running totals from every history record first (after a service died"
            + " between recording an ending and counting it; run it when no cycle is ending)"
      })
  boolean rebuild;

  /** A rebuild reads every history record: about a minute for a million on two busy cores. */
  static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(10);

  @Override
  int run() {
    HistoryApi.Query filtered = filters.query(Instant.now(), null);
    HistoryApi.Query query =
        new HistoryApi.Query(
            filtered.project(),
            filtered.instruction(),
            filtered.status(),
            filtered.since(),
            null,
            rebuild ? Boolean.TRUE : null);
    JsonNode reply;
    try (AgentOsClient client = connect()) {
      reply = rebuild ? client.call("stats", query, REBUILD_TIMEOUT) : client.call("stats", query);
    }
    if (json) {
      out().println(reply.toPrettyString());
    } else {
      StatsTables.lines(Json.convertStored(reply, Stats.class), style()).forEach(out()::println);
    }
    return ExitCode.OK;
  }
}
