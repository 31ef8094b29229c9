package dev.agentos.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat-model server on a free loopback port that answers from a script: each request takes the
 * next scripted reply (an answer with token usage, a turn of tool calls in the provider's format,
 * an HTTP error, or a hang until the server closes). Every request is recorded for assertions. The
 * subclasses speak one wire format each ({@link FakeOpenAiServer}, {@link FakeAnthropicServer},
 * {@link FakeOllamaServer}).
 */
public abstract class FakeModelServer implements AutoCloseable {
  /** One request the server received; {@link #header} ignores the header name's case. */
  public record RecordedRequest(
      String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /**
   * A tool call a scripted model makes: the tool's name and its arguments as a JSON object.
   *
   * @param argumentsJson e.g. {@code {"path":"a.txt"}}
   */
  public record ToolCall(String name, String argumentsJson) {}

  public static ToolCall call(String name, String argumentsJson) {
    return new ToolCall(name, argumentsJson);
  }

  private sealed interface Reply permits Answer, ToolCalls, Failure, Hang {}

  private record Answer(String text, long tokensIn, long tokensOut) implements Reply {}

  private record ToolCalls(List<ToolCall> calls, long tokensIn, long tokensOut) implements Reply {}

  private record Failure(int status, String message) implements Reply {}

  private record Hang() implements Reply {}

  private static final Pattern MODEL =
      Pattern.compile("\"model\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicInteger ids =
      new java.util.concurrent.atomic.AtomicInteger();
  private Reply fallback;

  protected FakeModelServer(String path) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a fake model server", e);
    }
    // A hanging reply blocks its handler thread, so every exchange gets a thread of its own.
    server.setExecutor(handlers);
    server.createContext(path, this::handle);
    server.start();
  }

  /** The base URL a client is configured with (what {@code base-url} would be set to). */
  public abstract String baseUrl();

  /** The body of a successful reply in this server's wire format. */
  protected abstract String answerJson(String model, String text, long tokensIn, long tokensOut);

  /**
   * The body of a reply in which the model calls tools, in this server's wire format; {@code
   * firstId} numbers the calls' ids so that each is unique on this server.
   */
  protected abstract String toolCallsJson(
      String model, List<ToolCall> calls, long tokensIn, long tokensOut, int firstId);

  /** The body of an error reply in this server's wire format. */
  protected abstract String errorJson(int status, String message);

  /** http://127.0.0.1:port, without a path. */
  public String root() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  /** The next request is answered with {@code text}, reporting the given token usage. */
  public synchronized FakeModelServer answer(String text, long tokensIn, long tokensOut) {
    script.add(new Answer(text, tokensIn, tokensOut));
    return this;
  }

  /** Once the script is used up, every request is answered with {@code text}. */
  public synchronized FakeModelServer answerAlways(String text, long tokensIn, long tokensOut) {
    fallback = new Answer(text, tokensIn, tokensOut);
    return this;
  }

  /** The next request is answered with a turn that calls these tools. */
  public synchronized FakeModelServer toolCalls(long tokensIn, long tokensOut, ToolCall... calls) {
    script.add(new ToolCalls(List.of(calls), tokensIn, tokensOut));
    return this;
  }

  /** Once the script is used up, every request is answered by calling these tools again. */
  public synchronized FakeModelServer toolCallsAlways(
      long tokensIn, long tokensOut, ToolCall... calls) {
    fallback = new ToolCalls(List.of(calls), tokensIn, tokensOut);
    return this;
  }

  /** How many scripted replies are left. */
  public synchronized int scriptLeft() {
    return script.size();
  }

  /** The next request gets an HTTP error with this status and message. */
  public synchronized FakeModelServer fail(int status, String message) {
    script.add(new Failure(status, message));
    return this;
  }

  /** The next request gets no answer until the server is closed. */
  public synchronized FakeModelServer hang() {
    script.add(new Hang());
    return this;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public RecordedRequest lastRequest() {
    if (requests.isEmpty()) {
      throw new AssertionError("the fake model server received no request");
    }
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private synchronized Reply next() {
    Reply reply = script.poll();
    if (reply != null) {
      return reply;
    }
    return fallback != null
        ? fallback
        : new Failure(500, "the fake server has no scripted reply left");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name, List.copyOf(values)));
      requests.add(
          new RecordedRequest(
              exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
      Reply reply = next();
      if (reply instanceof Hang) {
        awaitClose();
        return;
      }
      if (reply instanceof Failure failure) {
        send(exchange, failure.status(), errorJson(failure.status(), failure.message()));
      } else if (reply instanceof ToolCalls turn) {
        send(
            exchange,
            200,
            toolCallsJson(
                modelOf(body),
                turn.calls(),
                turn.tokensIn(),
                turn.tokensOut(),
                ids.getAndAdd(turn.calls().size()) + 1));
      } else if (reply instanceof Answer answer) {
        send(
            exchange,
            200,
            answerJson(modelOf(body), answer.text(), answer.tokensIn(), answer.tokensOut()));
      }
    }
  }

  private void awaitClose() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The model the request asked for, echoed in the answer like a real server does. */
  private static String modelOf(String requestBody) {
    Matcher matcher = MODEL.matcher(requestBody);
    return matcher.find() ? matcher.group(1) : "unknown";
  }

  /** {@code value} as a JSON string literal. */
  protected static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
