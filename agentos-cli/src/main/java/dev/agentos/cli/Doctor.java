package dev.agentos.cli;

import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologyResource;
import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AccountStatistics;
import io.nats.service.Discovery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code agentos doctor}: checks what Agent OS needs, one {@link DoctorCheck} each, and says how to
 * fix what is missing. Never prints a secret: of an API key it only says whether it is set.
 */
final class Doctor {
  private final Environment env;
  private final NatsTarget target;
  private final StateDir dir;

  Doctor(Environment env, NatsTarget target, StateDir dir) {
    this.env = env;
    this.target = target;
    this.dir = dir;
  }

  List<DoctorCheck> run() {
    List<DoctorCheck> checks = new ArrayList<>();
    checks.add(java());
    checks.add(natsServerBinary());
    checks.addAll(nats());
    checks.add(serviceJars());
    checks.add(localStack());
    for (String role : Phase.roles()) {
      checks.add(agent(RoleAgent.of(env, role)));
    }
    return checks;
  }

  static DoctorCheck java() {
    Runtime.Version version = Runtime.version();
    String where = System.getProperty("java.home");
    if (version.feature() < 17) {
      return DoctorCheck.fail(
          "java",
          "Java " + version + " at " + where + " is too old",
          "install Java 17 or newer: sudo apt-get install -y openjdk-17-jdk-headless");
    }
    return DoctorCheck.ok("java", "Java " + version + " at " + where);
  }

  DoctorCheck natsServerBinary() {
    Optional<Path> binary = LocalProcesses.findOnPath("nats-server", env.variables());
    if (binary.isPresent()) {
      return DoctorCheck.ok("nats-server", binary.get() + " " + version(binary.get()));
    }
    String fix =
        "install it: sudo apt-get install -y nats-server, or download a release from"
            + " https://github.com/nats-io/nats-server/releases and put it on the PATH";
    if (env.get("NATS_URL").isPresent()) {
      return DoctorCheck.warn(
          "nats-server", "not on the PATH (not needed while NATS_URL names a server)", fix);
    }
    return DoctorCheck.fail(
        "nats-server", "not on the PATH: `agentos up` needs it to start NATS", fix);
  }

  List<DoctorCheck> nats() {
    List<DoctorCheck> checks = new ArrayList<>();
    Connection nc;
    try {
      nc = AgentOsClient.open(target);
    } catch (CliException e) {
      checks.add(
          DoctorCheck.fail(
              "nats",
              "cannot reach " + target.describe(),
              "run `agentos up` (it starts NATS and the services), or point at a running server"
                  + " with --nats URL or NATS_URL"));
      for (String name : List.of("jetstream", "topology", "services")) {
        checks.add(DoctorCheck.skip(name, "NATS is not reachable"));
      }
      return checks;
    }
    try (nc) {
      checks.add(
          DoctorCheck.ok(
              "nats", target.describe() + ", server " + nc.getServerInfo().getVersion()));
      JetStreamManagement jsm;
      try {
        jsm = nc.jetStreamManagement();
        AccountStatistics stats = jsm.getAccountStatistics();
        checks.add(
            DoctorCheck.ok(
                "jetstream",
                "enabled: "
                    + stats.getStreams()
                    + " streams, "
                    + stats.getStorage()
                    + " bytes stored"));
      } catch (Exception e) {
        checks.add(
            DoctorCheck.fail(
                "jetstream",
                "not available: " + e.getMessage(),
                "start nats-server with -js (`agentos up` does)"));
        checks.add(DoctorCheck.skip("topology", "JetStream is not available"));
        checks.add(services(nc));
        return checks;
      }
      checks.add(topology(nc));
      checks.add(services(nc));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return checks;
  }

  /** Whether NATS has every stream, consumer, bucket and store the services create. */
  static DoctorCheck topology(Connection nc) {
    List<TopologyResource> missing;
    try {
      missing = Topology.missing(nc);
    } catch (IOException | JetStreamApiException e) {
      return DoctorCheck.fail("topology", "cannot list streams: " + e.getMessage(), null);
    }
    if (missing.isEmpty()) {
      Map<String, Long> kinds =
          Topology.resources().stream()
              .collect(
                  Collectors.groupingBy(
                      TopologyResource::kind, LinkedHashMap::new, Collectors.counting()));
      List<String> counts = new ArrayList<>();
      kinds.forEach((kind, count) -> counts.add(count + " " + kind + (count == 1 ? "" : "s")));
      return DoctorCheck.ok("topology", "all present: " + String.join(", ", counts));
    }
    return DoctorCheck.fail(
        "topology",
        "missing: " + String.join(", ", missing.stream().map(TopologyResource::describe).toList()),
        "the services create them when they start: `agentos up` (or restart the services)");
  }

  private static DoctorCheck services(Connection nc) {
    int instances = new Discovery(nc, 1000, 100).ping(Topology.API_SERVICE).size();
    if (instances == 0) {
      return DoctorCheck.fail(
          "services",
          "no " + Topology.API_SERVICE + " instance answers discovery",
          "start the services: `agentos up`");
    }
    return DoctorCheck.ok(
        "services",
        instances + " " + Topology.API_SERVICE + " instance(s); `agentos services` lists them");
  }

  DoctorCheck serviceJars() {
    List<String> missing = new ArrayList<>();
    for (String role : Phase.roles()) {
      if (!Files.isRegularFile(env.serviceJar(role))) {
        missing.add(role + "-service");
      }
    }
    if (missing.isEmpty()) {
      return DoctorCheck.ok("service jars", "built in " + env.repoRoot());
    }
    return DoctorCheck.fail(
        "service jars",
        "not built: " + String.join(", ", missing),
        "cd "
            + env.repoRoot()
            + " && mvn -B -DskipTests package (bin/agentos builds them when missing)");
  }

  DoctorCheck localStack() {
    Optional<RunRecord> run;
    try {
      run = dir.readRun();
    } catch (CliException e) {
      return DoctorCheck.fail("local stack", e.getMessage(), "delete " + dir.runFile());
    }
    if (run.isEmpty()) {
      return DoctorCheck.ok(
          "local stack", "not started by `agentos up` (state dir " + dir.root() + ")");
    }
    List<String> gone = LocalStack.gone(run.get());
    if (gone.isEmpty()) {
      return DoctorCheck.ok(
          "local stack",
          "up since "
              + run.get().startedAt()
              + ": "
              + run.get().processes().size()
              + " processes, NATS "
              + run.get().natsUrl());
    }
    return DoctorCheck.warn(
        "local stack",
        "run.json lists processes that stopped: " + String.join(", ", gone),
        "`agentos down`, then `agentos up` (logs in " + dir.logs() + ")");
  }

  static DoctorCheck agent(RoleAgent agent) {
    String name = "agent " + agent.role();
    Optional<String> problem = agent.problem();
    if (agent.configured() && problem.isPresent()) {
      return DoctorCheck.fail(name, agent.describe() + ": " + problem.get(), problem.get());
    }
    if (agent.configured()) {
      return DoctorCheck.ok(name, agent.describe());
    }
    if (agent.role().equals(Phase.EXECUTE.role())) {
      return DoctorCheck.warn(
          name,
          "none configured: cycles fail in EXECUTE unless they name an agent (the demo does)",
          "for the example agent: export "
              + RoleAgent.variable("executor", "COMMAND")
              + "=\"bash "
              + "examples/agents/demo-agent.sh\"; for an LLM: "
              + RoleAgent.variable("executor", "BACKEND")
              + "=openai "
              + RoleAgent.variable("executor", "MODEL")
              + "=gpt-4.1 "
              + RoleAgent.variable("executor", "API_KEY")
              + "=...; then `agentos down && agentos up`");
    }
    if (agent.role().equals(Phase.PLAN.role())) {
      return DoctorCheck.ok(
          name, "none: spec tasks are planned without one; a goal becomes a single step");
    }
    return DoctorCheck.ok(name, "none");
  }

  private static String version(Path binary) {
    try {
      Process p =
          new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      return "("
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
          + ")";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
