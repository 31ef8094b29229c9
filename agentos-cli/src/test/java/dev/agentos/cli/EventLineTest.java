package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.nats.CycleEvent;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLineTest {
  @Test
  void showsTimeTypeWhereAndMessageInColumns() {
    CycleEvent event =
        new CycleEvent(
            "c1",
            "step_started",
            Instant.parse("2026-11-20T10:00:01.250Z"),
            Status.EXECUTING,
            Phase.EXECUTE,
            1,
            "2 2. Totals",
            null);
    assertEquals(
        "10:00:01.250  step_started    EXECUTING EXECUTE it1       2 2. Totals",
        EventLine.of(event, ZoneOffset.UTC, Style.plain()));
  }

  @Test
  void anEventWithoutStateStillReads() {
    CycleEvent event =
        new CycleEvent("c1", "rejected", null, null, null, null, "malformed JSON", null);
    assertEquals(
        "--:--:--.---  rejected        - -                         malformed JSON",
        EventLine.of(event, ZoneOffset.UTC, Style.plain()));
  }
}
