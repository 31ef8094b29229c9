package dev.agentos.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to a console or a service, for what a test checks beside the browser. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Http() {}

  record Response(int status, String body) {}

  static Response get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** A POST as the console's own pages send it (with their action header). */
  static Response post(String url, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header("X-Agentos-Console", "1")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static Response send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }
}
