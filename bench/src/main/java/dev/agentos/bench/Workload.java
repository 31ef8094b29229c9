package dev.agentos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What the bench submits: a workspace per cycle holding a spec whose tasks.md has three unticked
 * tasks (so the planner makes a three-step plan without a model), the executor's agent chosen per
 * cycle in the submit options, and a cycle id the bench picks so it can watch before it submits.
 */
final class Workload implements AutoCloseable {
  static final String SPEC = ".agent-os/specs/2026-11-20-bench";
  static final int STEPS = 3;
  static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(10);

  private final Connection nc;
  private final Path root;
  private final Path agent;
  private final String runId;
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param root where workspaces are made (removed on {@link #close})
   * @param agent the installed stand-in agent, see {@link #installAgent}
   */
  Workload(Connection nc, Path root, Path agent) {
    this.nc = nc;
    this.root = root;
    this.agent = agent;
    this.runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  }

  /**
   * The stand-in agent in one of its modes (see bench-agent.sh), as the mode's words. A submit
   * names it by its profile ({@link #profile}), which {@link #profiles} defines on the services.
   */
  List<String> agent(String... mode) {
    return List.of(mode);
  }

  /** The stand-in agent's command line in {@code mode}, for measuring a bare process start. */
  List<String> command(String... mode) {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(agent.toString());
    argv.addAll(List.of(mode));
    return argv;
  }

  /**
   * The profile name of a mode: {@code bench-sleep-0_2}. A dot would split the configuration key
   * {@code agentos.profiles.<name>.command}, so it becomes an underscore.
   */
  static String profile(List<String> mode) {
    return "bench-" + String.join("-", mode).replace('.', '_');
  }

  /**
   * The service properties that define a profile for each mode the bench runs: what runs is the
   * services' configuration, a submit only names it.
   */
  static Map<String, String> profiles(Path agent, List<List<String>> modes) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (List<String> mode : modes) {
      properties.put(
          "agentos.profiles." + profile(mode) + ".command", agent + " " + String.join(" ", mode));
    }
    return properties;
  }

  /** A fresh workspace with the three-task spec. */
  Path newWorkspace() {
    Path dir = root.resolve("ws-" + sequence.incrementAndGet());
    try {
      Path spec = dir.resolve(SPEC);
      Files.createDirectories(spec);
      Files.writeString(
          spec.resolve("spec.md"), "# Spec: Bench\n\nA spec the bench runs over and over.\n");
      StringBuilder tasks = new StringBuilder("# Spec Tasks\n\n## Tasks\n\n");
      for (int i = 1; i <= STEPS; i++) {
        tasks.append("- [ ] ").append(i).append(". Task number ").append(i).append('\n');
      }
      Files.writeString(spec.resolve("tasks.md"), tasks.toString());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a workspace under " + root, e);
    }
  }

  String nextCycleId() {
    return "bench-" + runId + "-" + sequence.incrementAndGet();
  }

  /** Submits a cycle over {@code agentos.api.submit}; fails with the API's error if it has one. */
  void submit(String cycleId, Path workspace, List<String> agentMode) {
    ObjectNode request = Json.mapper().createObjectNode();
    request.put("project", "bench");
    request.put("instruction", "execute-tasks");
    request.putObject("workspace").put("path", workspace.toString());
    request.put("spec", SPEC);
    request.put("cycle_id", cycleId);
    request
        .putObject("options")
        .putObject("agents")
        .putObject("executor")
        .put("profile", profile(agentMode));
    Message reply;
    try {
      reply = nc.request(Topology.apiSubject("submit"), Json.write(request), SUBMIT_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting", e);
    }
    if (reply == null) {
      throw new IllegalStateException(
          "no reply to agentos.api.submit within " + SUBMIT_TIMEOUT + ": are the services up?");
    }
    JsonNode body = Json.tree(reply.getData());
    if (body.has("error")) {
      throw new IllegalStateException(
          "submit of " + cycleId + " was refused: " + body.get("error"));
    }
  }

  /** Writes the stand-in agent script into {@code dir} and returns its path. */
  static Path installAgent(Path dir) {
    try (InputStream in = Workload.class.getResourceAsStream("bench-agent.sh")) {
      if (in == null) {
        throw new IllegalStateException("bench-agent.sh is missing from the bench jar");
      }
      Files.createDirectories(dir);
      Path script = dir.resolve("bench-agent.sh");
      Files.write(script, in.readAllBytes());
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the bench agent in " + dir, e);
    }
  }

  /** Removes every workspace (thousands of them after a throughput run). */
  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp dir is harmless.
    }
  }
}
