package dev.agentos.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.CycleState;
import dev.agentos.state.Workspace;
import dev.agentos.worker.DetachedPhaseContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live output is trimmed and rate-limited per kind, and says what it left out. */
class LiveOutputTest {
  private final DetachedPhaseContext context =
      new DetachedPhaseContext(
          new CycleState.Builder()
              .cycleId("c-1")
              .project("shop")
              .workspace(Workspace.atPath("/tmp"))
              .build(),
          Path.of("/tmp"));

  @Test
  void aBurstOfMessagesDoesNotHideAFileEditAndTheNextEventCountsWhatWasLeftOut() {
    LiveOutput output = new LiveOutput(context, "2", () -> 0L); // all within one second
    for (int i = 0; i < 20; i++) {
      output.publish(new CliEvent(CliEvent.Kind.MESSAGE, "thinking " + i + " " + "x".repeat(500)));
    }
    output.publish(new CliEvent(CliEvent.Kind.FILE_EDIT, "Write src/cart.ts"));

    List<String> events = context.events();
    assertEquals(LiveOutput.PER_SECOND + 1, events.size(), String.join("\n", events));
    assertTrue(events.get(0).startsWith("output: 2 message: thinking 0 "), events.get(0));
    assertTrue(events.get(0).length() < LiveOutput.MAX_CHARS + 40, "trimmed: " + events.get(0));
    String edit = events.get(events.size() - 1);
    assertEquals("output: 2 file_edit: Write src/cart.ts (15 earlier events left out)", edit);
  }
}
