package dev.agentos.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageWaitTest {
  private static final AgentOsException FULL =
      new AgentOsException(ErrorCode.STORAGE_FULL, "agentos-artifacts is full");
  private final List<String> told = new ArrayList<>();

  private StorageWait waiting(Duration wait, boolean stopped) {
    return new StorageWait(wait, () -> stopped, e -> told.add(e.getMessage()));
  }

  @Test
  void aWriteThatFindsRoomWithinTheWaitGoesThroughAndTheWaitIsToldOnce() {
    AtomicInteger tries = new AtomicInteger();
    String written =
        waiting(Duration.ofSeconds(10), false)
            .write(
                () -> {
                  if (tries.incrementAndGet() < 3) {
                    throw FULL;
                  }
                  return "written";
                });
    assertEquals("written", written);
    assertEquals(3, tries.get());
    assertEquals(List.of("agentos-artifacts is full"), told);
  }

  @Test
  void aStoreStillFullAfterTheWaitIsThrown() {
    AtomicInteger tries = new AtomicInteger();
    AgentOsException thrown =
        assertThrows(
            AgentOsException.class,
            () ->
                waiting(Duration.ofMillis(300), false)
                    .write(
                        () -> {
                          tries.incrementAndGet();
                          throw FULL;
                        }));
    assertSame(FULL, thrown);
    assertEquals(2, tries.get(), "tried at once and after the first delay, then gave up");
  }

  @Test
  void otherFailuresAndAStoppedClaimAreNotWaitedFor() {
    AgentOsException unavailable = new AgentOsException(ErrorCode.UNAVAILABLE, "away");
    assertSame(
        unavailable,
        assertThrows(
            AgentOsException.class,
            () ->
                waiting(Duration.ofSeconds(10), false)
                    .write(
                        () -> {
                          throw unavailable;
                        })));
    assertSame(
        FULL,
        assertThrows(
            AgentOsException.class,
            () ->
                waiting(Duration.ofSeconds(10), true)
                    .write(
                        () -> {
                          throw FULL;
                        })));
    assertEquals(List.of(), told);
  }
}
