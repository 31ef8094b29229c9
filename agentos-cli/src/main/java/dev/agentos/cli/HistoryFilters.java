package dev.agentos.cli;

import dev.agentos.api.HistoryApi;
import dev.agentos.state.Status;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The filters {@code history} and {@code stats} share; each narrows the ended cycles. */
final class HistoryFilters {
  @Option(names = "--project", paramLabel = "NAME", description = "only this project's cycles")
  String project;

  @Option(
      names = {"-i", "--instruction"},
      paramLabel = "NAME",
      description = "only cycles of this instruction, e.g. execute-tasks")
  String instruction;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "only cycles that ended this way: COMPLETED, FAILED or CANCELLED")
  Status status;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "only cycles that ended since then: an ISO time (2026-11-20T10:00:00Z), a day"
              + " (2026-11-20) or an age (30m, 12h, 2d, 1w)")
  String since;

  /** The API's query for these filters; {@code now} anchors an age such as {@code 2d}. */
  HistoryApi.Query query(Instant now, Integer limit) {
    if (status != null && !status.isFinal()) {
      throw CliException.usage(
          "--status "
              + status
              + " never appears in the history, which holds ended cycles only; use COMPLETED,"
              + " FAILED or CANCELLED (running cycles: `agentos status --status "
              + status
              + "`)");
    }
    return new HistoryApi.Query(
        project, instruction, status, since == null ? null : Since.parse(since, now), limit);
  }
}
