package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.history.HistoryRecord;
import dev.agentos.history.Stats;
import dev.agentos.state.Band;
import dev.agentos.state.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history, stats and instructions without NATS: --since, the tables, the refusals. */
class HistoryCommandsTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @TempDir Path root;

  static HistoryRecord record(
      String id,
      Status status,
      Integer score,
      long tokens,
      double cost,
      Map<String, String> models) {
    return new HistoryRecord(
        id,
        "shop",
        "execute-tasks",
        ".agent-os/specs/2026-11-20-cart",
        status,
        status == Status.COMPLETED ? 2 : 1,
        score,
        score == null ? null : Band.of(score),
        tokens,
        cost,
        83.4,
        61.0,
        models,
        NOW.minusSeconds(3 * 3600 + 90),
        NOW.minusSeconds(3 * 3600),
        null,
        status == Status.FAILED ? ErrorCode.REVIEW_FAILED : null);
  }

  private CliRun run(String... args) {
    return CliRun.of(CliRun.env(root, Map.of()), args);
  }

  private static String closedNats() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "nats://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void sinceReadsAnAgeATimeOrADay() {
    assertEquals(NOW.minusSeconds(2 * 86400), Since.parse("2d", NOW));
    assertEquals(NOW.minusSeconds(12 * 3600), Since.parse("12h", NOW));
    assertEquals(NOW.minusSeconds(30 * 60), Since.parse("30m", NOW));
    assertEquals(NOW.minusSeconds(14 * 86400), Since.parse("2w", NOW));
    assertEquals(Instant.parse("2026-11-20T10:00:00Z"), Since.parse("2026-11-20T10:00:00Z", NOW));
    assertEquals(Instant.parse("2026-11-20T00:00:00Z"), Since.parse(" 2026-11-20 ", NOW));
    CliException bad = assertThrows(CliException.class, () -> Since.parse("yesterday", NOW));
    assertEquals(ExitCode.USAGE, bad.exitCode());
    assertTrue(bad.getMessage().contains("write e.g. 2026-11-20T10:00:00Z"), bad.getMessage());
    assertThrows(CliException.class, () -> Since.parse("2x", NOW));
  }

  @Test
  void historyTableShowsOneAlignedLinePerCycle() {
    List<String> lines =
        HistoryTable.lines(
            List.of(
                record(
                    "c-pass",
                    Status.COMPLETED,
                    100,
                    1000,
                    0.0032,
                    Map.of("executor", "gpt-a", "review", "claude-test")),
                record("c-fail", Status.FAILED, 40, 12_500, 1.5, Map.of("executor", "gpt-b")),
                record("c-cancel", Status.CANCELLED, null, 0, 0, Map.of())),
            NOW,
            Style.plain());
    assertEquals(4, lines.size(), String.join("\n", lines));
    String header = lines.get(0);
    for (String column :
        List.of(
            "CYCLE",
            "PROJECT",
            "INSTRUCTION",
            "STATUS",
            "ITER",
            "SCORE",
            "TOKENS",
            "COST",
            "WALL",
            "MODELS",
            "ENDED")) {
      assertTrue(header.contains(column), column + " in " + header);
    }
    int status = header.indexOf("STATUS");
    assertEquals("COMPLETED", lines.get(1).substring(status, status + 9));
    assertEquals("FAILED", lines.get(2).substring(status, status + 6));
    int score = header.indexOf("SCORE");
    assertEquals("100 HIGH", lines.get(1).substring(score, score + 8));
    assertEquals("40 REQUIRES_ATTENTION", lines.get(2).substring(score, score + 21));
    assertEquals("-", lines.get(3).substring(score, score + 1));
    assertTrue(lines.get(1).contains("$0.0032"), lines.get(1));
    assertTrue(lines.get(1).contains("1m23s"), "wall time: " + lines.get(1));
    assertTrue(lines.get(1).contains("claude-test, gpt-a"), lines.get(1));
    assertTrue(lines.get(2).contains("12,500"), lines.get(2));
    assertTrue(lines.get(2).contains("$1.50"), lines.get(2));
    assertTrue(lines.get(3).contains("$0 "), lines.get(3));
    assertTrue(lines.get(1).endsWith("3h ago"), lines.get(1));
  }

  @Test
  void anEmptyHistorySaysWhatShowsThere() {
    String line = HistoryTable.lines(List.of(), NOW, Style.plain()).get(0);
    assertTrue(line.contains("COMPLETED, FAILED or CANCELLED"), line);
    assertTrue(line.contains("agentos status"), line);
  }

  @Test
  void statsTablesShowOverallThenEachGrouping() {
    Stats stats =
        Stats.of(
            List.of(
                record("a", Status.COMPLETED, 100, 1000, 0.004, Map.of("executor", "gpt-a")),
                record("b", Status.COMPLETED, 80, 1000, 0.004, Map.of("executor", "gpt-a")),
                record("c", Status.FAILED, 40, 500, 0.002, Map.of("executor", "gpt-b"))));
    List<String> lines = StatsTables.lines(stats, Style.plain());
    String text = String.join("\n", lines);
    List<String> titles = List.of("Overall", "By project", "By instruction", "By model");
    int last = -1;
    for (String title : titles) {
      int at = lines.indexOf(title);
      assertTrue(at > last, title + " after the one before in\n" + text);
      last = at;
    }
    String overall = lines.get(lines.indexOf("Overall") + 2);
    assertTrue(overall.startsWith("all"), overall);
    assertTrue(overall.contains("67%"), overall);
    assertTrue(overall.contains("73.3"), "mean score: " + overall);
    assertTrue(overall.contains("2.0"), "iterations to pass: " + overall);
    assertTrue(overall.contains("$0.0033"), "mean cost: " + overall);
    assertTrue(overall.contains("2,500"), overall);
    String gptB = lines.stream().filter(l -> l.startsWith("gpt-b")).findFirst().orElseThrow();
    assertTrue(gptB.contains("0%"), gptB);
    assertTrue(gptB.contains(" - "), "no completed cycle, no iterations to pass: " + gptB);
    assertTrue(!lines.get(lines.size() - 1).isBlank(), "no trailing blank line");
  }

  @Test
  void emptyStatsSayThereIsNothingToAddUp() {
    String line = StatsTables.lines(Stats.of(List.of()), Style.plain()).get(0);
    assertTrue(line.contains("nothing to add up"), line);
  }

  @Test
  void aRunningStatusIsRefusedBeforeAnythingIsSent() throws IOException {
    for (String command : List.of("history", "stats")) {
      CliRun run = run(command, "--status", "EXECUTING", "--nats", closedNats());
      assertEquals(ExitCode.USAGE, run.code(), run.toString());
      assertTrue(run.err().contains("ended cycles only"), run.err());
      assertTrue(run.err().contains("agentos status --status EXECUTING"), run.err());
    }
  }

  @Test
  void aBadSinceOrStatusIsAUsageError() throws IOException {
    CliRun since = run("history", "--since", "last week", "--nats", closedNats());
    assertEquals(ExitCode.USAGE, since.code(), since.toString());
    assertTrue(since.err().contains("--since 'last week'"), since.err());
    CliRun status = run("stats", "--status", "DONE");
    assertEquals(ExitCode.USAGE, status.code(), status.toString());
    assertTrue(status.err().contains("--status"), status.err());
  }

  @Test
  void instructionsRefusesAnUnknownActionOrAShowWithoutName() throws IOException {
    CliRun unknown = run("instructions", "delete", "x", "--nats", closedNats());
    assertEquals(ExitCode.USAGE, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("use list or show NAME"), unknown.err());
    CliRun show = run("instructions", "show", "--nats", closedNats());
    assertEquals(ExitCode.USAGE, show.code(), show.toString());
    assertTrue(show.err().contains("show needs the instruction's NAME"), show.err());
    CliRun workspace = run("instructions", "-w", "no-such-dir", "--nats", closedNats());
    assertEquals(ExitCode.USAGE, workspace.code(), workspace.toString());
  }

  @Test
  void unreachableNatsExitsSixForEachNewCommand() throws IOException {
    String url = closedNats();
    for (List<String> args :
        List.of(List.of("history"), List.of("stats", "--since", "2d"), List.of("instructions"))) {
      List<String> argv = new java.util.ArrayList<>(args);
      argv.addAll(List.of("--nats", url));
      CliRun run = run(argv.toArray(String[]::new));
      assertEquals(ExitCode.UNREACHABLE, run.code(), args + "\n" + run);
      assertTrue(run.err().contains("cannot reach NATS at " + url), run.err());
    }
  }

  @Test
  void theNewCommandsHaveHelp() {
    for (String command : List.of("history", "stats", "instructions")) {
      CliRun run = run(command, "--help");
      assertEquals(0, run.code(), run.toString());
      assertTrue(run.out().startsWith("Usage: agentos " + command), run.out());
      assertTrue(run.out().contains("--json"), run.out());
    }
    assertTrue(run("history", "--help").out().contains("--since=WHEN"));
  }
}
