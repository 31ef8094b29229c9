package dev.agentos.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A git remote over smart HTTP that wants a token, as a hosted one does: every request must carry
 * {@code Authorization: Basic base64(x-access-token:<token>)}, else 401. Requests that pass are
 * served by {@code git http-backend} (CGI) from {@code root}; every Authorization header seen is
 * kept for the test to check.
 */
final class TokenGitServer implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  private final String expected;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  TokenGitServer(Path root, String token) throws IOException {
    this.root = root;
    this.expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String repo) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repo + ".git";
  }

  /** The Authorization header of every request, "" where there was none. */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Requests that carried the token. */
  long authorized() {
    return authorizations.stream().filter(expected::equals).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      if (!expected.equals(auth)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      cgi(exchange);
    }
  }

  /** Runs {@code git http-backend} for the request and relays its CGI answer. */
  private void cgi(HttpExchange exchange) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("git", "http-backend");
    Map<String, String> env = builder.environment();
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("REMOTE_USER", "x-access-token"); // receive-pack is served to authenticated users
    env.put("REQUEST_METHOD", exchange.getRequestMethod());
    env.put("PATH_INFO", exchange.getRequestURI().getPath());
    String query = exchange.getRequestURI().getRawQuery();
    env.put("QUERY_STRING", query == null ? "" : query);
    putHeader(exchange, env, "Content-Type", "CONTENT_TYPE");
    putHeader(exchange, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
    putHeader(exchange, env, "Git-Protocol", "GIT_PROTOCOL");
    Process git = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = git.getOutputStream();
        InputStream body = exchange.getRequestBody()) {
      body.transferTo(in);
    }
    byte[] out;
    try (InputStream stdout = git.getInputStream()) {
      out = stdout.readAllBytes();
    }
    try {
      git.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    relay(exchange, out);
  }

  private static void putHeader(
      HttpExchange exchange, Map<String, String> env, String header, String variable) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  /** CGI output: header lines, a blank line, the body; {@code Status:} sets the code. */
  private static void relay(HttpExchange exchange, byte[] out) throws IOException {
    int at = 0;
    int status = 200;
    while (at < out.length) {
      int end = at;
      while (end < out.length && out[end] != '\n') {
        end++;
      }
      String line = new String(out, at, end - at, StandardCharsets.ISO_8859_1).strip();
      at = end + 1;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(out, Math.min(at, out.length), Math.max(0, out.length - at));
    exchange.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
    if (body.size() > 0) {
      try (OutputStream response = exchange.getResponseBody()) {
        body.writeTo(response);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
