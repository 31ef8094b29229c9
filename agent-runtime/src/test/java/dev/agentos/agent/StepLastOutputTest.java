package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.Iteration;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Usage;
import dev.agentos.worker.DetachedPhaseContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a running agent did last goes onto its running record only, bounded, and only when it
 * changed.
 */
class StepLastOutputTest {
  private final DetachedPhaseContext context =
      new DetachedPhaseContext(cycleWith(StepRecord.started("1", 2, Instant.EPOCH)), Path.of("."));

  @Test
  void aCliAgentsOutputIsKeptAsItsLastLinesWithinTheBound() {
    StepLastOutput output = StepLastOutput.start(context, "1");
    for (int i = 0; i < 100; i++) {
      output.line("line " + i + " " + "x".repeat(90));
    }
    output.saveIfChanged();
    output.close();

    String saved = record().lastOutput();
    assertTrue(saved.length() <= StepLastOutput.TAIL_CHARS, saved.length() + " characters");
    assertTrue(saved.startsWith("line "), "cut at a line's start: " + saved.substring(0, 20));
    assertTrue(saved.endsWith("line 99 " + "x".repeat(90) + "\n"), saved);
  }

  @Test
  void aModelsTurnIsSavedOnceAndNeverOntoARecordTheStepMovedOnTo() {
    StepLastOutput output = StepLastOutput.start(context, "1");
    output.turn(Usage.ZERO, "call write_file {\"path\":\"a.txt\"}");
    output.saveIfChanged();
    output.saveIfChanged();
    assertEquals(1, context.checkpoints().size(), "nothing new, nothing written");
    assertEquals("call write_file {\"path\":\"a.txt\"}", record().lastOutput());

    context.checkpointSteps(StepRecord.started("1", 3, Instant.EPOCH));
    output.turn(Usage.ZERO, "a later turn of the old attempt");
    output.saveIfChanged();
    output.close();

    assertNull(record().lastOutput(), "the next attempt's record is left alone");
    assertEquals(StepStatus.RUNNING, record().status());
  }

  private StepRecord record() {
    return context.state().currentIteration().executionOrEmpty().step("1").orElseThrow();
  }

  private static CycleState cycleWith(StepRecord step) {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .goal("g")
        .iterations(List.of(Iteration.first().withExecution(Execution.empty().with(step))))
        .build();
  }
}
