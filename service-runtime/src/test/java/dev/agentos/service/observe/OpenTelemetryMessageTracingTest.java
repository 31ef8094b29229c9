package dev.agentos.service.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Handoff;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenTelemetryMessageTracingTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = sdk(Sampler.alwaysOn());
  private final OpenTelemetryMessageTracing tracing = new OpenTelemetryMessageTracing(sdk);

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void handOffInsideASpanCarriesTheIncomingTraceWithTheHandlingSpanAsParent() {
    Headers incoming = new Headers();
    tracing.inject(incoming);
    String incomingParent = incoming.getFirst("traceparent");
    assertNotNull(incomingParent, "a publish outside any span starts a trace");

    Headers outgoing = new Headers().put(Handoff.MSG_ID, "c1.1.execute");
    tracing.inSpan(
        "agentos.plan",
        incoming,
        "c1",
        () -> {
          tracing.inject(outgoing);
          return null;
        });

    String[] in = incomingParent.split("-");
    String[] out = outgoing.getFirst("traceparent").split("-");
    assertEquals(in[1], out[1], "same trace id");
    assertNotEquals(in[2], out[2], "the hand-off names the handling span, not the sender's");

    SpanData handled = finished("agentos.plan");
    assertEquals(in[1], handled.getTraceId());
    assertEquals(in[2], handled.getParentSpanId());
    assertEquals(out[2], handled.getSpanId());
    assertEquals(SpanKind.CONSUMER, handled.getKind());
    assertEquals(
        "c1",
        handled.getAttributes().get(AttributeKey.stringKey(OpenTelemetryMessageTracing.CYCLE_ID)));
  }

  @Test
  void injectThenExtractGivesTheSameTraceId() {
    Headers headers = new Headers();
    tracing.inject(headers);
    SpanContext[] seen = new SpanContext[1];
    tracing.inSpan(
        "agentos.execute", headers, "c2", () -> seen[0] = Span.current().getSpanContext());

    assertEquals(headers.getFirst("traceparent").split("-")[1], seen[0].getTraceId());
    assertTrue(seen[0].isValid());
  }

  @Test
  void messageWithoutTraceContextStartsANewTrace() {
    tracing.inSpan("agentos.review", null, "c3", () -> null);
    tracing.inSpan("agentos.review", new Headers(), "c4", () -> null);

    List<SpanData> done = spans.getFinishedSpanItems();
    assertEquals(2, done.size());
    assertFalse(done.get(0).getParentSpanContext().isValid());
    assertNotEquals(done.get(0).getTraceId(), done.get(1).getTraceId());
  }

  @Test
  void propagatesTheTraceEvenWhenNothingIsSampled() {
    OpenTelemetrySdk unsampled = sdk(Sampler.parentBased(Sampler.traceIdRatioBased(0)));
    OpenTelemetryMessageTracing quiet = new OpenTelemetryMessageTracing(unsampled);
    Headers first = new Headers();
    quiet.inject(first);
    Headers second = new Headers();
    quiet.inSpan(
        "agentos.plan",
        first,
        "c5",
        () -> {
          quiet.inject(second);
          return null;
        });

    String flags = first.getFirst("traceparent").split("-")[3];
    assertEquals(0, Integer.parseInt(flags, 16) & 1, "not sampled: " + flags);
    assertEquals(
        first.getFirst("traceparent").split("-")[1], second.getFirst("traceparent").split("-")[1]);
    assertNotEquals(
        first.getFirst("traceparent").split("-")[2], second.getFirst("traceparent").split("-")[2]);
    assertTrue(spans.getFinishedSpanItems().isEmpty(), "nothing recorded, nothing exported");
    unsampled.close();
  }

  @Test
  void marksTheSpanFailedWhenTheWorkThrows() {
    assertThrows(
        IllegalStateException.class,
        () ->
            tracing.inSpan(
                "agentos.express",
                null,
                "c6",
                () -> {
                  throw new IllegalStateException("boom");
                }));
    assertEquals(StatusCode.ERROR, finished("agentos.express").getStatus().getStatusCode());
  }

  private SpanData finished(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finished span " + name));
  }

  private OpenTelemetrySdk sdk(Sampler sampler) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(sampler)
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }
}
