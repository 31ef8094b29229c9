package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void controlCharactersAndBidiOverridesInAnEventArePrintedAsQuestionMarks() {
    // An agent's text that would clear the screen, set the window title, ring the bell and show
    // "txt.exe" as "exe.txt" if it reached the terminal as it is.
    CycleEvent event =
        new CycleEvent(
            "c1",
            "step_\u001B[2Jdone",
            null,
            null,
            null,
            null,
            "ok\u001B]0;owned\u0007 \u009Bmore\nnext\tline \u202Etxt.exe\u2069 \u007F",
            null);
    String line = EventLine.of(event, ZoneOffset.UTC, Style.plain());
    assertEquals(
        "--:--:--.---  step_?[2Jdone   - -                         ok?]0;owned? ?more next line"
            + " ?txt.exe? ?",
        line);
    assertTrue(line.chars().noneMatch(c -> Character.isISOControl(c)), line);
  }
}
