package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.testing.RandomBodies;
import dev.agentos.workspace.WorkspacePaths;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every control API endpoint answers a bad request with a client error that says what is wrong,
 * before it reads or writes any state (the API here has no store at all: touching it would fail the
 * test with an INTERNAL error).
 */
class ControlApiBadInputTest {
  private static final int MAX_REQUEST_BYTES = 65_536;
  private static final Set<String> CLIENT_ERRORS = Set.of("INVALID_REQUEST", "PAYLOAD_TOO_LARGE");

  private final ControlApi api =
      build(
          ControlApi.class,
          build(Submissions.class, new WorkspacePaths(Optional.empty()), Clock.systemUTC()),
          Clock.systemUTC());
  private final JsonEndpoints endpoints = new JsonEndpoints("test", "0", "test", MAX_REQUEST_BYTES);

  /**
   * {@code type} built from its constructor with {@code given} where the types match and null for
   * everything else (the store, NATS): validation needs no more, and any read or write would fail
   * the test. Built this way so that new collaborators, which validation does not use, do not break
   * it.
   */
  private static <T> T build(Class<T> type, Object... given) {
    Constructor<?> constructor = type.getConstructors()[0];
    Class<?>[] types = constructor.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < args.length; i++) {
      for (Object candidate : given) {
        if (types[i].isInstance(candidate)) {
          args[i] = candidate;
        }
      }
    }
    try {
      return type.cast(constructor.newInstance(args));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, JsonEndpoints.Handler> handlers() {
    Map<String, JsonEndpoints.Handler> handlers = new LinkedHashMap<>();
    handlers.put("submit", body -> api.submit(Caller.OPERATOR, body));
    handlers.put("status", body -> api.status(Caller.OPERATOR, body));
    handlers.put("list", body -> api.list(Caller.OPERATOR, body));
    handlers.put("cancel", body -> api.cancel(Caller.OPERATOR, body));
    handlers.put("resume", body -> api.resume(Caller.OPERATOR, body));
    handlers.put("retry", body -> api.retry(Caller.OPERATOR, body));
    handlers.put("approve", body -> api.approve(Caller.OPERATOR, body));
    handlers.put("answer", body -> api.answer(Caller.OPERATOR, body));
    return handlers;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"cycle_id\":",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\"",
        "null",
        "[]",
        "42",
        "\"cycle\"",
        "true",
        "{\"cycle_id\":{\"id\":1}}",
        "{\"cycle_id\":[\"a\"]}",
        "{\"cycle_id\":17}",
        "{\"cycle_id\":\"../../etc/passwd\"}",
        "{\"cycle_id\":\"a/b\"}",
        "{\"cycle_id\":\"cycle.*\"}",
        "{\"cycle_id\":\"x\\u0000y\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"colour\":\"red\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\"} trailing",
        "{\"limit\":\"ten\"}",
        "{\"limit\":0}",
        "{\"status\":\"SLEEPING\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"budget\":{\"tokens\":-1}}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"budget\":\"lots\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"approved\":\"yes\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"approved\":false}",
        "{\"project\":\"../shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"/tmp\"}}",
        "{\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"/tmp/../etc\"}}",
        "{\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"relative/dir\"}}",
        "{\"project\":\"shop\",\"goal\":\"x\",\"workspace\":\"/tmp\"}",
        "{\"project\":\"shop\",\"goal\":\"x\",\"workspace\":{\"path\":\"/tmp\"},\"cycle_id\":\"../x\"}",
      })
  void everyEndpointRejectsABadBodyWithAClientError(String body) {
    for (Map.Entry<String, JsonEndpoints.Handler> endpoint : handlers().entrySet()) {
      assertClientError(
          endpoint.getKey(), body.getBytes(StandardCharsets.UTF_8), endpoint.getValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"cycle_id\":\"20261120-100000-k3x9q2\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"answer\":\"\"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"answer\":\"  \\n \"}",
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"answer\":42}",
        "{\"cycle_id\":\"../x\",\"answer\":\"EUR\"}",
        "{\"answer\":\"EUR\"}",
      })
  void anAnswerWithoutTextOrAValidCycleIsRefusedBeforeAnyRead(String body) {
    JsonNode error =
        assertClientError(
            "answer", body.getBytes(StandardCharsets.UTF_8), b -> api.answer(Caller.OPERATOR, b));
    assertEquals("INVALID_REQUEST", error.path("code").asText(), error.toString());
  }

  @Test
  void anAnswerLongerThanTheLimitIsRefusedBeforeAnyRead() {
    String body =
        "{\"cycle_id\":\"20261120-100000-k3x9q2\",\"answer\":\""
            + "x".repeat(dev.agentos.state.PendingQuestion.MAX_CHARS + 1)
            + "\"}";
    JsonNode error =
        assertClientError(
            "answer", body.getBytes(StandardCharsets.UTF_8), b -> api.answer(Caller.OPERATOR, b));
    assertTrue(error.path("message").asText().contains("limit"), error.toString());
  }

  @Test
  void theErrorHeaderIsPrintableAsciiWhateverTheMessageQuotes() {
    assertEquals(
        "malformed JSON: Unexpected character ('?' (code 185))",
        JsonEndpoints.headerValue("malformed JSON: Unexpected character ('\u00b9' (code 185))"));
    assertEquals("two lines", JsonEndpoints.headerValue("two\r\nlines"));
    assertEquals(1024, JsonEndpoints.headerValue("x".repeat(5000)).length());
  }

  @Test
  void everyEndpointRejectsAnOversizedBody() {
    byte[] body =
        ("{\"goal\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
    for (Map.Entry<String, JsonEndpoints.Handler> endpoint : handlers().entrySet()) {
      JsonNode error = assertClientError(endpoint.getKey(), body, endpoint.getValue());
      assertEquals("PAYLOAD_TOO_LARGE", error.path("code").asText());
    }
  }

  @Test
  void tenThousandRandomByteStringsGetAClientErrorEveryTime() {
    long seed = Long.getLong("agentos.fuzz.seed", 20261120L);
    Random random = new Random(seed);
    List<Map.Entry<String, JsonEndpoints.Handler>> all = List.copyOf(handlers().entrySet());
    for (int i = 0; i < 10_000; i++) {
      byte[] body = RandomBodies.next(random);
      Map.Entry<String, JsonEndpoints.Handler> endpoint = all.get(random.nextInt(all.size()));
      assertClientError(
          endpoint.getKey() + " (seed " + seed + ", #" + i + ")", body, endpoint.getValue());
    }
  }

  private JsonNode assertClientError(String endpoint, byte[] body, JsonEndpoints.Handler handler) {
    JsonEndpoints.Reply reply = endpoints.reply(body, handler);
    String shown = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
    assertTrue(reply.isError(), endpoint + " accepted " + shown);
    JsonNode error = Json.tree(reply.body()).path("error");
    assertTrue(
        CLIENT_ERRORS.contains(error.path("code").asText()),
        endpoint + " answered " + error + " to " + shown);
    assertFalse(error.path("message").asText().isBlank(), endpoint + ": the error says why");
    assertEquals(
        JsonEndpoints.headerValue(error.path("message").asText()),
        reply.headers().getFirst(JsonEndpoints.ERROR_HEADER),
        endpoint + ": the error header carries the message");
    return error;
  }
}
