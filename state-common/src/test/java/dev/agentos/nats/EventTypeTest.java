package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentos.json.Json;
import dev.agentos.state.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Event types are contract: subjects and stored events name them, so the wire never changes. */
class EventTypeTest {
  @Test
  void wireValuesAreTheLowerCaseNamesEventsHaveAlwaysHad() {
    assertEquals(
        List.of(
            "submitted",
            "rejected",
            "claimed",
            "step_started",
            "step_finished",
            "step_note",
            "transition",
            "retrying",
            "requeued",
            "dead_lettered",
            "output",
            "question",
            "answered"),
        Arrays.stream(EventType.values()).map(EventType::wire).toList());
  }

  @Test
  void theTypeIsTheLastSubjectTokenAndTheJsonTypeField() {
    CycleEvent event =
        new CycleEvent(
            "c1", EventType.STEP_STARTED.wire(), null, Status.EXECUTING, null, 1, "2 Totals", null);

    assertEquals("agentos.events.c1.step_started", Topology.eventSubject("c1", event.type()));
    assertEquals("step_started", Json.tree(Json.write(event)).path("type").asText());
  }

  @Test
  void readsEveryKnownTypeBackAndLeavesAnUnknownOneAsItIs() {
    for (EventType type : EventType.values()) {
      assertEquals(Optional.of(type), EventType.of(type.wire()));
    }
    assertEquals(Optional.empty(), EventType.of("agent_thinking"));
    assertEquals(Optional.empty(), EventType.of("CLAIMED"));
  }
}
