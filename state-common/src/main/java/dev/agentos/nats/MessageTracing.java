package dev.agentos.nats;

import io.nats.client.impl.Headers;
import java.util.function.Supplier;

/**
 * Carries a trace across NATS hand-offs in message headers, so that one cycle is one trace across
 * the four services. The default does nothing; a service with tracing configured supplies one.
 */
public interface MessageTracing {
  MessageTracing NONE =
      new MessageTracing() {
        @Override
        public <T> T inSpan(String name, Headers incoming, String cycleId, Supplier<T> work) {
          return work.get();
        }

        @Override
        public void inject(Headers outgoing) {}
      };

  /**
   * Runs {@code work} in a span named {@code name}, a child of the trace in {@code incoming} (or a
   * new trace when it carries none).
   */
  <T> T inSpan(String name, Headers incoming, String cycleId, Supplier<T> work);

  /** Adds the current trace context to headers of a message about to be published. */
  void inject(Headers outgoing);
}
