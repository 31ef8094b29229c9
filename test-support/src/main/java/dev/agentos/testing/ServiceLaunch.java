package dev.agentos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starting, probing and killing a packaged service ({@code quarkus-run.jar}) as an OS process: the
 * part the tests' {@link ServiceProcess} and the bench's processes share.
 */
public final class ServiceLaunch {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceLaunch() {}

  /**
   * Starts {@code java <jvmOptions> -Dquarkus.http.port=<httpPort> -D<properties> -jar <jar>} with
   * its output appended to {@code log}.
   */
  public static Process start(
      String name,
      List<String> jvmOptions,
      int httpPort,
      Map<String, String> properties,
      Path jar,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dquarkus.http.port=" + httpPort);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    try {
      Files.createDirectories(log.getParent());
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
    }
  }

  /** The HTTP status of {@code /q/health/<which>} on {@code httpPort}, or -1 when none answers. */
  public static int healthStatus(int httpPort, String which) {
    return health(httpPort, which).status();
  }

  /** A health endpoint's answer: the HTTP status (-1 when none came) and the JSON body. */
  public record Health(int status, String body) {}

  /** {@code /q/health/<which>} on {@code httpPort}, answered within 2 s or not at all. */
  public static Health health(int httpPort, String which) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + httpPort + "/q/health/" + which))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Health(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Health(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Health(-1, "");
    }
  }

  /**
   * SIGKILL, as when a pod dies, together with the agent commands the service started: a killed JVM
   * alone would leave them running, finishing steps that nobody records.
   */
  public static void kill(Process process) {
    if (process != null && process.isAlive()) {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      waitFor(process, Duration.ofSeconds(10));
    }
  }

  /** Whether {@code process} exited within {@code timeout}. */
  public static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
