package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.state.CycleState;
import dev.agentos.state.Transitions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchViewTest {
  private static final Instant NOW = States.CREATED.plusSeconds(12);

  @Test
  void frameShowsPhaseStepOfAllWithBarElapsedTimeAndUsage() {
    List<String> frame = WatchView.frame(States.executing(), NOW, Style.plain());
    String text = String.join("\n", frame);
    assertTrue(text.contains("EXECUTING"), text);
    assertTrue(text.contains("iteration 1/3"), text);
    assertTrue(text.contains("elapsed 00:12"), text);
    assertTrue(text.contains("step 2/3 [=======>                ] 2. Totals (attempt 2)"), text);
    assertTrue(
        text.contains("1,500 tokens (1,200 in / 300 out) | $0.0123 | agent time 3.5s"), text);
  }

  @Test
  void frameHasColoursOnlyWhenTheStyleHasThem() {
    String plain = String.join("\n", WatchView.frame(States.executing(), NOW, Style.plain()));
    String coloured = String.join("\n", WatchView.frame(States.executing(), NOW, new Style(true)));
    assertFalse(plain.contains("\u001B["), plain);
    assertTrue(coloured.contains("\u001B["), coloured);
    assertEquals(plain, Style.strip(coloured));
  }

  @Test
  void lineIsPrintedAgainOnlyWhenSomethingButTheTimeChanges() {
    CycleState s = States.executing();
    assertEquals(WatchView.key(s), WatchView.key(s.toBuilder().updatedAt(NOW).build()));
    assertNotEquals(WatchView.key(s), WatchView.key(States.completed()));
    assertTrue(WatchView.line(s, NOW).startsWith("00:12 EXECUTING phase EXECUTE"));
  }

  @Test
  void queuedCycleIsPlanning() {
    assertTrue(WatchView.stepLine(States.queued(), true).startsWith("planning"));
  }

  @Test
  void elapsedStopsWhenTheCycleStops() {
    CycleState done = States.completed();
    assertEquals("00:18", Elapsed.clock(WatchView.elapsed(done, NOW.plusSeconds(3600))));
  }

  @Test
  void completedOutcomeNamesTheReviewAndTheRecapOnDisk() {
    List<String> lines = WatchView.outcome(States.completed(), NOW, Style.plain());
    assertEquals("COMPLETED after 00:18 | review PASS, score 100 (HIGH)", lines.get(0));
    assertEquals("recap: /repos/shop/.agent-os/recaps/2026-11-20-cart.md", lines.get(1));
  }

  @Test
  void failedOutcomeSaysWhyAndHowToRetry() {
    String text = String.join("\n", WatchView.outcome(States.failed(), NOW, Style.plain()));
    assertTrue(text.contains("FAILED"), text);
    assertTrue(text.contains("in EXECUTE: the agent exited with 2 [AGENT_FAILED]"), text);
    assertTrue(text.contains("agentos logs 20261120-100000-abc"), text);
    assertTrue(text.contains("agentos retry 20261120-100000-abc"), text);
  }

  @Test
  void aFailedCyclesStepsAreCountedByStatusAndTheFailedOneIsNamed() {
    CycleState failed =
        Transitions.fail(
            States.executing(), ErrorCode.AGENT_TIMEOUT, "no answer in 600s", NOW.minusSeconds(1));
    assertEquals("3 steps: 1 COMPLETED, 1 FAILED, 1 PENDING", WatchView.stepLine(failed, true));
    assertEquals("step 3/3 done", WatchView.stepLine(States.completed(), false));
    String text = String.join("\n", WatchView.outcome(failed, NOW, Style.plain()));
    assertTrue(
        text.contains(
            "failed step 2. Totals (attempt 2): stopped: AGENT_TIMEOUT: no answer in 600s"),
        text);
  }

  @Test
  void awaitingApprovalOutcomeShowsHowToApproveAndReject() {
    String text =
        String.join("\n", WatchView.outcome(States.awaitingApproval(), NOW, Style.plain()));
    assertTrue(text.contains("AWAITING_APPROVAL at AFTER_PLAN"), text);
    assertTrue(text.contains("agentos approve 20261120-100000-abc"), text);
    assertTrue(text.contains("--reject --comment"), text);
  }

  @Test
  void abbreviatesLongTitlesToTheirLimit() {
    String shortened = WatchView.abbreviate("x".repeat(100), 20);
    assertEquals(20, shortened.length());
    assertTrue(shortened.endsWith("..."));
    assertEquals("a b", WatchView.abbreviate(" a\n b ", 20));
  }
}
