package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.nats.WorkMessage;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.testing.ServiceProcess;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics and traces of a real cycle across the four service processes: the W3C trace context
 * travels in the work messages' headers, and each service's /q/metrics counts what it did.
 */
class ObservabilityIT {
  private static final Pattern OTLP_PORT = Pattern.compile(":4317(?!\\d)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> PHASES = List.of("plan", "execute", "express", "review");

  private static Cluster cluster;
  private static String cycleId;
  private static final List<Message> workMessages = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void runOneCycle() throws Exception {
    cluster = Cluster.start(Map.of());
    // A core subscription sees every publish to the work stream's subjects, headers included.
    Dispatcher dispatcher = cluster.nc.createDispatcher(workMessages::add);
    dispatcher.subscribe(Topology.WORK_PREFIX + ">");
    cluster.nc.flush(Duration.ofSeconds(5));

    Path workspace = Workspaces.withSpec(2);
    cycleId =
        cluster
            .requestJson(Topology.apiSubject("submit"), Workspaces.submit(workspace, null))
            .path("cycle_id")
            .asText();
    assertFalse(cycleId.isBlank(), "submit replies with the cycle id");
    cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void oneCycleIsOneTraceAcrossTheFourServices() {
    Map<String, String[]> traceparents = new LinkedHashMap<>();
    for (Message message : workMessages) {
      WorkMessage work = Json.read(message.getData(), WorkMessage.class);
      String header =
          message.getHeaders() == null ? null : message.getHeaders().getFirst("traceparent");
      if (cycleId.equals(work.cycleId()) && header != null) {
        traceparents.putIfAbsent(work.phase().token(), header.split("-"));
      }
    }
    assertEquals(Set.copyOf(PHASES), traceparents.keySet(), "every hand-off carries a traceparent");

    String traceId = traceparents.get("plan")[1];
    assertTrue(traceId.matches("[0-9a-f]{32}") && !traceId.matches("0+"), traceId);
    Set<String> spanIds = new HashSet<>();
    for (String phase : PHASES) {
      assertEquals(traceId, traceparents.get(phase)[1], phase + " message continues the trace");
      spanIds.add(traceparents.get(phase)[2]);
    }
    assertEquals(4, spanIds.size(), "each hand-off names the span that published it");
  }

  @Test
  void executorCountsStepsPhaseTimeAndCycles() {
    ServiceProcess executor = cluster.service("executor");
    Await.until(
        Duration.ofSeconds(20),
        "the executor's metrics to show the completed cycle",
        () -> {
          Map<String, Double> m = metrics(executor);
          return value(m, "agentos_steps_total{status=\"COMPLETED\"}") >= 2
              && value(
                      m,
                      "agentos_phase_duration_seconds_count{phase=\"execute\",role=\"executor\"}")
                  >= 1
              && value(m, "agentos_phase_duration_seconds_sum{phase=\"execute\",role=\"executor\"}")
                  > 0
              && value(m, "agentos_phase_claims_total{phase=\"execute\"}") >= 1
              && value(m, "agentos_cycles{status=\"COMPLETED\"}") >= 1;
        });
  }

  @Test
  void plannerTimesItsPhaseAndSeesTheSameCycleCounts() {
    ServiceProcess planner = cluster.service("planner");
    Await.until(
        Duration.ofSeconds(20),
        "the planner's metrics to show the completed cycle",
        () -> {
          Map<String, Double> m = metrics(planner);
          return value(m, "agentos_phase_duration_seconds_count{phase=\"plan\",role=\"planner\"}")
                  >= 1
              && value(m, "agentos_cycles{status=\"COMPLETED\"}") >= 1
              && value(m, "agentos_cycles{status=\"EXECUTING\"}") == 0;
        });
  }

  @Test
  void everyServiceReportsTheWorkQueuesAndTheDeadLetters() throws Exception {
    // A dead letter parked by hand: the gauges read AGENTOS_DLQ as it is, whoever wrote it.
    cluster
        .nc
        .jetStream()
        .publish(Topology.dlqSubject(Phase.REVIEW), "{}".getBytes(StandardCharsets.UTF_8));
    for (String role : Phase.roles()) {
      ServiceProcess service = cluster.service(role);
      Await.until(
          Duration.ofSeconds(20),
          role + "'s metrics to show the idle queues and the one dead letter",
          () -> {
            Map<String, Double> m = metrics(service);
            for (Phase phase : Phase.values()) {
              if (value(m, "agentos_queue_depth{role=\"" + phase.role() + "\"}") != 0) {
                return false;
              }
              double parked = value(m, "agentos_dlq_messages{phase=\"" + phase.token() + "\"}");
              if (parked != (phase == Phase.REVIEW ? 1 : 0)) {
                return false;
              }
            }
            return true;
          });
    }
  }

  @Test
  void noTraceExporterIsContactedByDefault() throws IOException {
    for (String role : Phase.roles()) {
      String log = Files.readString(cluster.service(role).log());
      assertFalse(log.contains("Failed to export"), role + " tried to export spans:\n" + log);
      // The OTLP port itself, not a random port that starts with it ("Listening on: …:43171").
      assertFalse(
          OTLP_PORT.matcher(log).find(), role + " tried to reach an OTLP collector:\n" + log);
    }
  }

  /** Every sample of /q/metrics by its name and labels, e.g. {@code agentos_cycles{status="X"}}. */
  private static Map<String, Double> metrics(ServiceProcess service) {
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + service.httpPort() + "/q/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot scrape " + service.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    assertEquals(200, response.statusCode(), service.name() + " /q/metrics");
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space).replace(",}", "}"), parse(line.substring(space + 1)));
    }
    return samples;
  }

  private static double parse(String number) {
    return Double.parseDouble(number.replace("+Inf", "Infinity"));
  }

  private static double value(Map<String, Double> samples, String sample) {
    Double value = samples.get(sample);
    if (value == null) {
      // A RuntimeException, so Await tries again and reports the last one if it times out.
      throw new IllegalStateException("no sample " + sample + " in " + samples.keySet());
    }
    return value;
  }
}
