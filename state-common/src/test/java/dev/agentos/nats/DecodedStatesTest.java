package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.agentos.json.Json;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DecodedStatesTest {
  private final DecodedStates states = new DecodedStates();
  private final AtomicInteger decodes = new AtomicInteger();
  private final Function<byte[], CycleState> decode =
      bytes -> {
        decodes.incrementAndGet();
        return CycleStore.decode(bytes);
      };

  @Test
  void decodesTheSameBytesOnce() {
    byte[] stored = Json.write(CycleFixtures.inStatus(Status.EXECUTING));
    CycleState first = states.decode(stored, decode);
    CycleState again = states.decode(stored.clone(), decode);
    assertSame(first, again);
    assertEquals(1, decodes.get());
  }

  @Test
  void readingItsOwnWriteReturnsTheStateWrittenWithoutDecoding() {
    CycleState written = CycleFixtures.inStatus(Status.REVIEWING);
    byte[] bytes = Json.write(written);
    states.encoded(bytes, written);
    assertSame(written, states.decode(bytes.clone(), decode));
    assertEquals(0, decodes.get());
  }

  @Test
  void otherBytesOfTheSameLengthAreDecoded() {
    byte[] once = Json.write(withAttempts(1));
    byte[] twice = Json.write(withAttempts(2));
    assertEquals(once.length, twice.length);
    assertEquals(1, states.decode(once, decode).attempts());
    assertEquals(2, states.decode(twice, decode).attempts());
    assertEquals(2, decodes.get());
  }

  @Test
  void forgetsTheLeastRecentlyUsedBeyondItsCapacity() {
    byte[] first = Json.write(withAttempts(0));
    states.decode(first, decode);
    for (int i = 1; i <= DecodedStates.CAPACITY; i++) {
      CycleState other = withAttempts(i);
      states.encoded(Json.write(other), other);
    }
    states.decode(first, decode);
    assertEquals(2, decodes.get());
  }

  private static CycleState withAttempts(int attempts) {
    return CycleFixtures.inStatus(Status.EXECUTING).toBuilder().attempts(attempts).build();
  }
}
