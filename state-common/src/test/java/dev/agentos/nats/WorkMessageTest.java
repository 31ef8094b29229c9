package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.agentos.json.Json;
import dev.agentos.state.Phase;
import org.junit.jupiter.api.Test;

class WorkMessageTest {
  @Test
  void phaseHandoffKeepsItsWireFormatWithoutStepId() {
    WorkMessage work = new WorkMessage("c1", 2, Phase.EXECUTE);

    String json = new String(Json.write(work));
    assertEquals("{\"cycle_id\":\"c1\",\"iteration\":2,\"phase\":\"EXECUTE\"}", json);
    assertNull(Json.read(json.getBytes(), WorkMessage.class).stepId());
    assertEquals("c1.2.execute", work.messageId(0));
    assertEquals("c1.2.execute.r3", work.messageId(3));
  }

  @Test
  void stepWorkItemCarriesItsStepIdAndAnIdPerStepAttemptAndRequeue() {
    WorkMessage step = new WorkMessage("c1", 2, Phase.EXECUTE, "1.2");

    String json = new String(Json.write(step));
    assertFalse(json.isEmpty());
    assertEquals(step, Json.read(json.getBytes(), WorkMessage.class));
    assertEquals("c1.2.execute.1.2", step.messageId(0, 0));
    assertEquals("c1.2.execute.1.2.a1", step.messageId(0, 1));
    assertEquals("c1.2.execute.1.2.a2.r1", step.messageId(1, 2));
  }
}
