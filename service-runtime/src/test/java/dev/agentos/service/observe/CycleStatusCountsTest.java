package dev.agentos.service.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.Status;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CycleStatusCountsTest {
  private final CycleStatusCounts counts = new CycleStatusCounts();

  @Test
  void movesACycleBetweenStatusesAsItsStateIsRewritten() {
    counts.put("a", state("a", Status.QUEUED));
    counts.put("b", state("b", Status.QUEUED));
    counts.put("a", state("a", Status.EXECUTING));
    counts.put("a", state("a", Status.COMPLETED));

    assertEquals(1, counts.count(Status.QUEUED));
    assertEquals(0, counts.count(Status.EXECUTING));
    assertEquals(1, counts.count(Status.COMPLETED));
    assertEquals(2, counts.size());
  }

  @Test
  void forgetsADeletedCycle() {
    counts.put("a", state("a", Status.FAILED));
    counts.remove("a");
    counts.remove("never-seen");

    assertEquals(0, counts.count(Status.FAILED));
    assertEquals(0, counts.size());
  }

  @Test
  void readsTheTopLevelStatusOnlyAndSkipsWhatItCannotRead() {
    String nested =
        "{\"iterations\":[{\"status\":\"COMPLETED\",\"x\":{\"status\":\"FAILED\"}}],"
            + "\"status\":\"REVIEWING\"}";
    assertEquals(Optional.of(Status.REVIEWING), CycleStatusCounts.statusOf(bytes(nested)));
    assertEquals(Optional.empty(), CycleStatusCounts.statusOf(bytes("{\"status\":\"SOMEDAY\"}")));
    assertEquals(Optional.empty(), CycleStatusCounts.statusOf(bytes("not json")));
    assertEquals(Optional.empty(), CycleStatusCounts.statusOf(new byte[0]));

    counts.put("a", state("a", Status.PAUSED));
    counts.put("a", bytes("{broken"));
    assertEquals(0, counts.count(Status.PAUSED));
  }

  private static byte[] state(String id, Status status) {
    return Json.write(new CycleState.Builder().cycleId(id).status(status).build());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
