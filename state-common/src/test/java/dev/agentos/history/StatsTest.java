package dev.agentos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.Band;
import dev.agentos.state.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Success rate, means and sums, overall and per project, instruction and model. */
class StatsTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final double EPS = 1e-9;

  private static HistoryRecord record(
      String id,
      String project,
      String instruction,
      Status status,
      int iterations,
      Integer score,
      long tokens,
      double cost,
      double wall,
      Map<String, String> models) {
    return new HistoryRecord(
        id,
        project,
        instruction,
        null,
        status,
        iterations,
        score,
        score == null ? null : Band.of(score),
        tokens,
        cost,
        wall,
        wall / 2,
        models,
        T0,
        T0.plusMillis((long) (wall * 1000)),
        null,
        status == Status.FAILED ? ErrorCode.REVIEW_FAILED : null);
  }

  private static final List<HistoryRecord> RECORDS =
      List.of(
          record(
              "a",
              "shop",
              "execute-tasks",
              Status.COMPLETED,
              1,
              100,
              1000,
              0.004,
              10,
              Map.of("executor", "gpt-a")),
          record(
              "b",
              "shop",
              "execute-tasks",
              Status.COMPLETED,
              3,
              80,
              3000,
              0.012,
              30,
              Map.of("executor", "gpt-a", "review", "claude")),
          record(
              "c",
              "shop",
              "create-spec",
              Status.FAILED,
              1,
              40,
              500,
              0.002,
              5,
              Map.of("executor", "gpt-b")),
          record("d", "blog", "execute-tasks", Status.CANCELLED, 1, null, 0, 0, 2, Map.of()),
          // the same model in two roles: counted once for that model
          record(
              "e",
              "blog",
              "create-spec",
              Status.COMPLETED,
              2,
              90,
              2000,
              0.010,
              20,
              Map.of("planner", "gpt-b", "executor", "gpt-b")));

  @Test
  void overallCountsEveryEndedCycleAndAveragesWhatEachMeanIsOf() {
    Stats.Group all = Stats.of(RECORDS).overall();
    assertEquals(5, all.cycles());
    assertEquals(3, all.completed());
    assertEquals(1, all.failed());
    assertEquals(1, all.cancelled());
    assertEquals(0.6, all.successRate(), EPS);
    assertEquals((100 + 80 + 40 + 90) / 4.0, all.meanScore(), EPS, "only cycles with a score");
    assertEquals((1 + 3 + 2) / 3.0, all.meanIterationsToPass(), EPS, "only completed cycles");
    assertEquals((0.004 + 0.012 + 0.002 + 0 + 0.010) / 5, all.meanCostUsd(), EPS);
    assertEquals((10 + 30 + 5 + 2 + 20) / 5.0, all.meanWallSeconds(), EPS);
    assertEquals(6500, all.tokens());
  }

  @Test
  void groupsByProjectAndInstruction() {
    Stats stats = Stats.of(RECORDS);
    assertEquals(List.of("blog", "shop"), List.copyOf(stats.byProject().keySet()));
    Stats.Group shop = stats.byProject().get("shop");
    assertEquals(3, shop.cycles());
    assertEquals(2.0 / 3, shop.successRate(), EPS);
    assertEquals(2.0, shop.meanIterationsToPass(), EPS);
    assertEquals(4500, shop.tokens());
    Stats.Group blog = stats.byProject().get("blog");
    assertEquals(90.0, blog.meanScore(), EPS, "the cancelled cycle has no score");
    assertEquals(1, blog.cancelled());

    assertEquals(
        List.of("create-spec", "execute-tasks"), List.copyOf(stats.byInstruction().keySet()));
    Stats.Group spec = stats.byInstruction().get("create-spec");
    assertEquals(2, spec.cycles());
    assertEquals(0.5, spec.successRate(), EPS);
    assertEquals(65.0, spec.meanScore(), EPS);
    assertEquals(2.0, spec.meanIterationsToPass(), EPS);
    assertEquals(0.006, spec.meanCostUsd(), EPS);
  }

  @Test
  void byModelCountsACycleOnceForEveryDistinctModelItUsed() {
    Map<String, Stats.Group> byModel = Stats.of(RECORDS).byModel();
    assertEquals(List.of("claude", "gpt-a", "gpt-b"), List.copyOf(byModel.keySet()));
    assertEquals(2, byModel.get("gpt-a").cycles());
    assertEquals(4000, byModel.get("gpt-a").tokens());
    assertEquals(1, byModel.get("claude").cycles());
    Stats.Group b = byModel.get("gpt-b");
    assertEquals(2, b.cycles(), "cycle e used gpt-b for two roles and counts once");
    assertEquals(1, b.completed());
    assertEquals(1, b.failed());
    assertEquals(2500, b.tokens());
    assertEquals(65.0, b.meanScore(), EPS);
    assertEquals(
        5,
        byModel.values().stream().mapToInt(Stats.Group::cycles).sum(),
        "b counts for two models, d for none");
  }

  @Test
  void noRecordsGiveZerosAndNoMeansRatherThanNaN() {
    Stats stats = Stats.of(List.of());
    Stats.Group none = stats.overall();
    assertEquals(0, none.cycles());
    assertEquals(0.0, none.successRate());
    assertNull(none.meanScore());
    assertNull(none.meanIterationsToPass());
    assertEquals(0.0, none.meanCostUsd());
    assertEquals(0.0, none.meanWallSeconds());
    assertEquals(Map.of(), stats.byProject());
    assertEquals(Map.of(), stats.byModel());
  }

  @Test
  void aGroupWithoutScoresOrPassesHasNullMeansOnTheWire() {
    Stats stats =
        Stats.of(
            List.of(record("x", "shop", "git-commit", Status.CANCELLED, 1, null, 0, 0, 1, null)));
    Stats.Group cancelled = stats.overall();
    assertNull(cancelled.meanScore());
    assertNull(cancelled.meanIterationsToPass());
    assertEquals(Map.of(), stats.byModel(), "a record without models is in no model group");
    String json = Json.writeString(stats);
    assertEquals(
        true,
        json.contains(
            "\"by_project\":{\"shop\":{\"cycles\":1,\"completed\":0,\"failed\":0,"
                + "\"cancelled\":1,\"success_rate\":0.0"),
        json);
  }

  @Test
  void aRecordWithoutProjectOrInstructionIsGroupedUnderNull() {
    Stats stats =
        Stats.of(List.of(record("y", null, null, Status.COMPLETED, 1, 100, 10, 0, 1, Map.of())));
    assertEquals(1, stats.byProject().get("null").cycles());
    assertEquals(1, stats.byInstruction().get("null").cycles());
  }
}
