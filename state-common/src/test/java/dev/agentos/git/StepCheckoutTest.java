package dev.agentos.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StepCheckoutTest {
  @Test
  void stepBranchStandsBesideTheCycleBranchWithASafeName() {
    assertEquals("agentos/c1--step-1.2", StepCheckout.branchName("c1", "1.2"));
    assertEquals("agentos/c1--step-a-b", StepCheckout.branchName("c1", "a b"));
  }

  @Test
  void stepWorktreeBelongsToItsCycleForTheCacheSweep() {
    assertEquals("c1", StepCheckout.cycleOf(StepCheckout.folderName("c1", "3")));
    assertEquals("c1", StepCheckout.cycleOf("c1"));
  }
}
