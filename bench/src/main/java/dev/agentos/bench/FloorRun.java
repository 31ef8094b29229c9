package dev.agentos.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The floor on this machine, measured in the same run: what one state write costs at the least (a
 * KV get + update with the revision, as {@code CycleStore.update} does), a core request/reply round
 * trip, a JetStream publish with its ack (a hand-off), and starting the instant agent as a process.
 * Same server, same loopback, same noisy neighbours as the cycles.
 */
final class FloorRun {
  private static final String BUCKET = "bench-floor";
  private static final String STREAM = "BENCH_FLOOR";

  record Result(
      Latencies kvGetUpdate,
      int valueBytes,
      Latencies requestReply,
      Latencies jsPublish,
      Latencies agentSpawn) {}

  static Result run(
      LocalCluster cluster, Path workspace, List<String> agent, int ops, int valueBytes)
      throws Exception {
    int warmup = Math.max(100, ops / 5);
    Connection nc = cluster.nc();
    return new Result(
        kvGetUpdate(nc, ops, warmup, valueBytes),
        valueBytes,
        requestReply(cluster, ops, warmup),
        jsPublish(nc, ops, warmup),
        agentSpawn(workspace, agent, Math.max(20, ops / 25)));
  }

  private static Latencies kvGetUpdate(Connection nc, int ops, int warmup, int valueBytes)
      throws Exception {
    KeyValueManagement kvm = nc.keyValueManagement();
    kvm.create(
        KeyValueConfiguration.builder()
            .name(BUCKET)
            .maxHistoryPerKey(5)
            .storageType(StorageType.File)
            .build());
    try {
      KeyValue kv = nc.keyValue(BUCKET);
      byte[] value = new byte[valueBytes];
      Arrays.fill(value, (byte) 'x');
      kv.create("k", value);
      Latencies latencies = new Latencies();
      for (int i = 0; i < warmup + ops; i++) {
        long started = System.nanoTime();
        KeyValueEntry entry = kv.get("k");
        kv.update("k", value, entry.getRevision());
        if (i >= warmup) {
          latencies.add(System.nanoTime() - started);
        }
      }
      return latencies;
    } finally {
      kvm.delete(BUCKET);
    }
  }

  private static Latencies requestReply(LocalCluster cluster, int ops, int warmup)
      throws Exception {
    // The responder has its own connection, so every request crosses the server twice.
    try (Connection responder = cluster.connect("agentos-bench-echo")) {
      Dispatcher echo =
          responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData()));
      echo.subscribe("bench.floor.echo");
      responder.flush(Duration.ofSeconds(5));
      byte[] payload = new byte[128];
      Latencies latencies = new Latencies();
      for (int i = 0; i < warmup + ops; i++) {
        long started = System.nanoTime();
        if (cluster.nc().request("bench.floor.echo", payload, Duration.ofSeconds(5)) == null) {
          throw new IllegalStateException("the echo responder did not answer");
        }
        if (i >= warmup) {
          latencies.add(System.nanoTime() - started);
        }
      }
      return latencies;
    }
  }

  private static Latencies jsPublish(Connection nc, int ops, int warmup) throws Exception {
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.addStream(
        StreamConfiguration.builder()
            .name(STREAM)
            .subjects("bench.floor.js")
            .storageType(StorageType.File)
            .build());
    try {
      JetStream js = nc.jetStream();
      byte[] payload =
          "{\"cycle_id\":\"bench\",\"iteration\":1,\"phase\":\"EXECUTE\"}"
              .getBytes(StandardCharsets.UTF_8);
      Latencies latencies = new Latencies();
      for (int i = 0; i < warmup + ops; i++) {
        long started = System.nanoTime();
        js.publish("bench.floor.js", payload);
        if (i >= warmup) {
          latencies.add(System.nanoTime() - started);
        }
      }
      return latencies;
    } finally {
      jsm.deleteStream(STREAM);
    }
  }

  /** Start, feed a 4 KB prompt, read the answer, reap: as the command backend does. */
  private static Latencies agentSpawn(Path workspace, List<String> agent, int runs)
      throws Exception {
    byte[] prompt = "p".repeat(4096).getBytes(StandardCharsets.UTF_8);
    Latencies latencies = new Latencies();
    for (int i = 0; i < runs + 5; i++) {
      long started = System.nanoTime();
      ProcessBuilder builder = new ProcessBuilder(agent).directory(workspace.toFile());
      builder.environment().put("AGENTOS_STEP_ID", "1");
      builder.environment().put("AGENTOS_ATTEMPT", "1");
      Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(prompt);
      } catch (IOException e) {
        // The instant agent does not read its prompt; like the backend, ignore the closed pipe.
      }
      try (InputStream out = process.getInputStream()) {
        out.readAllBytes();
      }
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("the bench agent " + agent + " failed");
      }
      if (i >= 5) {
        latencies.add(System.nanoTime() - started);
      }
    }
    return latencies;
  }
}
