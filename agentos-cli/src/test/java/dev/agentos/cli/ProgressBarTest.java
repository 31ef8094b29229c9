package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void fillsInProportionToTheStepsDone() {
    assertEquals("[          ]", ProgressBar.render(0, 3, 10));
    assertEquals("[==>       ]", ProgressBar.render(1, 3, 10));
    assertEquals("[======>   ]", ProgressBar.render(2, 3, 10));
    assertEquals("[==========]", ProgressBar.render(3, 3, 10));
  }

  @Test
  void clampsOutOfRangeCountsAndShowsAnEmptyPlanAsEmpty() {
    assertEquals("[==========]", ProgressBar.render(5, 3, 10));
    assertEquals("[          ]", ProgressBar.render(-1, 3, 10));
    assertEquals("[          ]", ProgressBar.render(0, 0, 10));
  }

  @Test
  void refusesAZeroWidth() {
    assertThrows(IllegalArgumentException.class, () -> ProgressBar.render(1, 2, 0));
  }
}
