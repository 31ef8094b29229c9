package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.api.CycleSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleTableTest {
  @Test
  void listsOneAlignedLinePerCycleUnderAHeader() {
    List<String> lines =
        CycleTable.lines(
            List.of(
                CycleSummary.of(States.executing()),
                CycleSummary.of(
                    States.queued().toBuilder()
                        .cycleId("goal-cycle")
                        .spec(null)
                        .goal("Write a README section about the cart for new developers")
                        .build())),
            States.CREATED.plusSeconds(125),
            Style.plain());
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("CYCLE"), lines.get(0));
    int statusColumn = lines.get(0).indexOf("STATUS");
    assertEquals("EXECUTING", lines.get(1).substring(statusColumn, statusColumn + 9));
    assertEquals("QUEUED", lines.get(2).substring(statusColumn, statusColumn + 6));
    assertTrue(lines.get(1).contains(".agent-os/specs/2026-11-20-cart"), lines.get(1));
    assertTrue(lines.get(1).endsWith("2m ago"), lines.get(1));
    assertTrue(lines.get(2).contains("goal: Write a README"), lines.get(2));
  }

  @Test
  void anEmptyListSaysHowToStart() {
    String line = CycleTable.lines(List.of(), States.CREATED, Style.plain()).get(0);
    assertTrue(line.contains("agentos submit"), line);
    assertTrue(line.contains("agentos demo"), line);
  }

  @Test
  void agesReadLikeAPersonSaysThem() {
    assertEquals("42s ago", CycleTable.ago(States.CREATED, States.CREATED.plusSeconds(42)));
    assertEquals("3h ago", CycleTable.ago(States.CREATED, States.CREATED.plusSeconds(3 * 3600)));
    assertEquals("2d ago", CycleTable.ago(States.CREATED, States.CREATED.plusSeconds(2 * 86400)));
    assertEquals("-", CycleTable.ago(null, States.CREATED));
  }
}
