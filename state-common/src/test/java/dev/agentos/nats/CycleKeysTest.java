package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CycleKeysTest {
  private final CycleKeys keys = new CycleKeys();

  @Test
  void aCycleMovesFromOneCountToTheNextWithEachWrite() {
    keys.written("a", 1, Status.QUEUED, null);
    keys.written("b", 2, Status.QUEUED, null);
    keys.written("a", 3, Status.EXECUTING, null);

    assertEquals(1, keys.count(Status.QUEUED));
    assertEquals(1, keys.count(Status.EXECUTING));

    keys.written("a", 4, Status.COMPLETED, Instant.EPOCH);
    keys.removed("b");

    assertEquals(0, keys.count(Status.QUEUED));
    assertEquals(0, keys.count(Status.EXECUTING));
    assertEquals(1, keys.count(Status.COMPLETED));
    assertEquals(1, keys.settledCount());
  }

  @Test
  void aWriteWithoutStatusLeavesEveryCountUntilItsStatusIsLearnt() {
    keys.written("a", 1, Status.QUEUED, null);
    keys.written("a", 2, null, null);

    assertEquals(0, keys.count(Status.QUEUED), "the old status no longer counts");
    assertEquals(List.of(Map.entry("a", 2L)), keys.statusUnknown(10));

    keys.learn("a", 2, Status.AWAITING_APPROVAL);

    assertEquals(1, keys.count(Status.AWAITING_APPROVAL));
    assertTrue(keys.statusUnknown(10).isEmpty());
  }

  @Test
  void aStatusLearntForAnOlderRevisionIsIgnored() {
    keys.written("a", 1, null, null);
    keys.written("a", 2, Status.PLANNING, null);

    keys.learn("a", 1, Status.QUEUED);

    assertEquals(0, keys.count(Status.QUEUED));
    assertEquals(1, keys.count(Status.PLANNING));
  }

  @Test
  void anUnreadableStateIsReadOnceAndCountedNowhere() {
    keys.written("a", 1, null, null);
    keys.written("b", 2, null, null);

    keys.learn("a", 1, null);

    assertEquals(List.of(Map.entry("b", 2L)), keys.statusUnknown(10));
    for (Status status : Status.values()) {
      assertEquals(0, keys.count(status));
    }
  }

  @Test
  void listsAtMostTheAskedNumberOfUnknownStatuses() {
    for (int i = 0; i < 5; i++) {
      keys.written("c" + i, i + 1, null, null);
    }
    assertEquals(2, keys.statusUnknown(2).size());
  }
}
