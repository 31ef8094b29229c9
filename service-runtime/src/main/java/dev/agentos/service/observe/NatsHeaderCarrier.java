package dev.agentos.service.observe;

import io.nats.client.impl.Headers;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Lets an OpenTelemetry propagator read and write jnats message headers. NATS header names are
 * case-sensitive; W3C {@code traceparent}/{@code tracestate} are lower-case on the wire, so exact
 * names are used, as every other NATS client's OpenTelemetry integration does.
 */
enum NatsHeaderCarrier implements TextMapGetter<Headers>, TextMapSetter<Headers> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Headers headers) {
    return headers.keySet();
  }

  @Override
  public String get(Headers headers, String key) {
    return headers == null ? null : headers.getFirst(key);
  }

  @Override
  public void set(Headers headers, String key, String value) {
    if (headers != null && !headers.isReadOnly()) {
      headers.put(key, value);
    }
  }
}
