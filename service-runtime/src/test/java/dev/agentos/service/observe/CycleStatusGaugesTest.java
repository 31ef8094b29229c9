package dev.agentos.service.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CycleStatusGaugesTest {

  @Test
  void reportsNoNumberBeforeTheKeysIndexExists() {
    // Zero would say "no cycle is running"; before the index is there nobody knows.
    assertTrue(Double.isNaN(CycleStatusGauges.count(Optional.empty(), Status.EXECUTING)));
  }
}
