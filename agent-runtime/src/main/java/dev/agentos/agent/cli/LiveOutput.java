package dev.agentos.agent.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.nats.EventType;
import dev.agentos.worker.PhaseContext;

/**
 * Publishes what a running agent does on {@code agentos.events.<cycle_id>.output}: each event one
 * trimmed line, at most {@link #PER_SECOND} a second of each kind (a burst of messages must not
 * flood the events stream, nor hide the file edits among them); what is left out is counted and
 * said with the next event published.
 */
final class LiveOutput {
  static final int PER_SECOND = 5;
  static final int MAX_CHARS = 300;

  private final PhaseContext context;
  private final String stepId;
  private final java.util.function.LongSupplier nanoTime;
  private long windowStart;
  private final java.util.Map<CliEvent.Kind, Integer> inWindow =
      new java.util.EnumMap<>(CliEvent.Kind.class);
  private int skipped;

  LiveOutput(PhaseContext context, String stepId) {
    this(context, stepId, System::nanoTime);
  }

  LiveOutput(PhaseContext context, String stepId, java.util.function.LongSupplier nanoTime) {
    this.context = context;
    this.stepId = stepId;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  synchronized void publish(CliEvent event) {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= 1_000_000_000L) {
      windowStart = now;
      inWindow.clear();
    }
    if (inWindow.merge(event.kind(), 1, Integer::sum) > PER_SECOND) {
      skipped++;
      return;
    }
    String text = JsonLines.oneLine(event.text(), MAX_CHARS);
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("step_id", stepId);
    detail.put("kind", event.kind().name());
    if (skipped > 0) {
      detail.put("skipped", skipped);
    }
    String message =
        stepId
            + " "
            + event.kind().name().toLowerCase(java.util.Locale.ROOT)
            + ": "
            + text
            + (skipped > 0 ? " (" + skipped + " earlier events left out)" : "");
    skipped = 0;
    context.event(EventType.OUTPUT, message, detail);
  }
}
