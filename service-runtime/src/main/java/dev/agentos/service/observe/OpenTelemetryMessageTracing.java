package dev.agentos.service.observe;

import dev.agentos.nats.Handoff;
import dev.agentos.nats.MessageTracing;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Carries the W3C trace context ({@code traceparent}, {@code tracestate}) in NATS message headers,
 * so that one cycle is one trace across the four services: each work message is handled in a
 * consumer span, a child of the context in the message's headers, and every hand-off published
 * while it runs carries that span's context on.
 *
 * <p>A publish outside any span (a submit, a resume, the reconciler re-enqueuing a cycle) starts a
 * new trace with a short producer span, so that the plan message of a new cycle already names the
 * trace the whole cycle continues.
 */
@Singleton
public class OpenTelemetryMessageTracing implements MessageTracing {
  static final String INSTRUMENTATION = "dev.agentos";
  static final String CYCLE_ID = "agentos.cycle_id";
  static final String ENQUEUE_SPAN = "agentos.enqueue";

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  @Inject
  public OpenTelemetryMessageTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Override
  public <T> T inSpan(String name, Headers incoming, String cycleId, Supplier<T> work) {
    // Root, not Context.current(): worker threads are pooled and must not inherit anything.
    Context parent =
        incoming == null
            ? Context.root()
            : propagator.extract(Context.root(), incoming, NatsHeaderCarrier.INSTANCE);
    Span span =
        tracer
            .spanBuilder(name)
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "nats")
            .setAttribute("messaging.operation.type", "process")
            .setAttribute(CYCLE_ID, cycleId == null ? "" : cycleId)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException | Error e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public void inject(Headers outgoing) {
    if (outgoing == null) {
      return;
    }
    if (Span.current().getSpanContext().isValid()) {
      propagator.inject(Context.current(), outgoing, NatsHeaderCarrier.INSTANCE);
      return;
    }
    Span span =
        tracer
            .spanBuilder(ENQUEUE_SPAN)
            .setNoParent()
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("messaging.system", "nats")
            .setAttribute("messaging.operation.type", "publish")
            .setAttribute("messaging.message.id", String.valueOf(outgoing.getFirst(Handoff.MSG_ID)))
            .startSpan();
    try {
      propagator.inject(Context.root().with(span), outgoing, NatsHeaderCarrier.INSTANCE);
    } finally {
      span.end();
    }
  }
}
