package dev.agentos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.channel.AgentDecision;
import dev.agentos.agent.channel.ChannelReport;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.state.CycleState;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentDecisionsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);
  private static final Pattern KEY_TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private static CycleState cycle(String id) {
    return new CycleState.Builder().cycleId(id).project("shop").build();
  }

  @Test
  void recordsEachDecisionOnceUnderAnIdOfTheCycleStepAttemptAndPlace() {
    List<DecisionRecord> logged = new ArrayList<>();
    AgentDecisions decisions = new AgentDecisions((project, r) -> logged.add(r), CLOCK);
    ChannelReport report =
        new ChannelReport(
            Optional.empty(),
            null,
            List.of(
                new AgentDecision("Money", "integer cents", "no rounding"),
                new AgentDecision("Ids", "UUIDv7", null)),
            List.of("decisions.jsonl line 2 is not a JSON object"));

    List<String> notes = decisions.record(cycle("c-1"), "1.2", 3, report);

    assertEquals(List.of("decisions.jsonl line 2 is not a JSON object"), notes);
    assertEquals(
        List.of(
            new DecisionRecord(
                "c-1-1-1_2-3-1",
                "Money",
                "no rounding",
                "integer cents",
                LocalDate.of(2026, 11, 20),
                "agent of step 1.2 in cycle c-1"),
            new DecisionRecord(
                "c-1-1-1_2-3-2",
                "Ids",
                null,
                "UUIDv7",
                LocalDate.of(2026, 11, 20),
                "agent of step 1.2 in cycle c-1")),
        logged);
  }

  @Test
  void aLogThatCannotBeWrittenBecomesANoteNotAFailure() {
    AgentDecisions decisions =
        new AgentDecisions(
            (project, r) -> {
              throw new AgentOsException(ErrorCode.UNAVAILABLE, "bucket full");
            },
            CLOCK);
    ChannelReport report =
        new ChannelReport(
            Optional.empty(), null, List.of(new AgentDecision("Money", "cents", null)), List.of());

    List<String> notes = decisions.record(cycle("c-1"), "1", 1, report);

    assertEquals(1, notes.size());
    assertTrue(notes.get(0).contains("'Money' could not be recorded"), notes.get(0));
    assertTrue(notes.get(0).contains("bucket full"), notes.get(0));
  }

  @Test
  void longIdsStayValidKeyTokensAndDistinct() {
    CycleState longId = cycle("t-" + "a".repeat(60));
    String first = AgentDecisions.id(longId, "step.with.a.long.name", 1, 1);
    String second = AgentDecisions.id(longId, "step.with.a.long.name", 1, 2);

    assertTrue(KEY_TOKEN.matcher(first).matches(), first);
    assertEquals(64, first.length());
    assertNotEquals(first, second);
  }
}
