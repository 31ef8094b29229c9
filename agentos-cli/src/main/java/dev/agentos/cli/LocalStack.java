package dev.agentos.cli;

import dev.agentos.cli.RunRecord.ProcessRecord;
import dev.agentos.state.Phase;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Agent OS on this machine: a nats-server with JetStream (unless {@code NATS_URL} names a reachable
 * one) and the four role services as background processes, recorded in {@code <state dir>/run.json}
 * so that {@code down} stops exactly them.
 */
final class LocalStack {
  static final Duration NATS_START = Duration.ofSeconds(20);
  static final Duration POLL = Duration.ofMillis(250);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Environment env;
  private final StateDir dir;
  private final PrintWriter out;
  private final Style style;

  LocalStack(Environment env, StateDir dir, PrintWriter out, Style style) {
    this.env = env;
    this.dir = dir;
    this.out = out;
    this.style = style;
  }

  /** What {@code up} found or did. */
  record Up(RunRecord run, boolean alreadyUp) {}

  /** The profile every local stack offers: the example agent, which needs no LLM. */
  static final String DEMO_PROFILE = "demo";

  /** The name of the web console's process in run.json, next to the roles. */
  static final String CONSOLE = "console";

  /** The check every local stack offers: the example agent wrote its notes. */
  static final String DEMO_CHECK = "demo-notes";

  /** The built-in profile and check as service properties, for a checkout at {@code repoRoot}. */
  static Map<String, String> demoDefinitions(Path repoRoot) {
    return Map.of(
        "agentos.profiles." + DEMO_PROFILE + ".backend", "command",
        "agentos.profiles." + DEMO_PROFILE + ".command",
            "bash " + repoRoot.resolve(DemoCommand.EXAMPLE_AGENT),
        "agentos.checks." + DEMO_CHECK + ".run", "test -s NOTES.md");
  }

  /**
   * Starts what is not running. {@code natsOption} is the {@code --nats} URL, if one was given:
   * like {@code NATS_URL}, it names a server to use instead of starting one. {@code definitions}
   * are service properties (profiles, checks) the services start with, besides the demo's.
   */
  Up up(String natsOption, Duration readyTimeout, Map<String, String> definitions) {
    Optional<RunRecord> previous = dir.readRun();
    if (previous.isPresent()) {
      List<String> gone = gone(previous.get());
      if (gone.isEmpty()) {
        return new Up(previous.get(), true);
      }
      out.println(
          "The last `agentos up` is partly gone ("
              + String.join(", ", gone)
              + " stopped); stopping the rest and starting again.");
      down(Duration.ofSeconds(30));
    }
    List<String> missing = new ArrayList<>();
    for (String role : Phase.roles()) {
      if (!Files.isRegularFile(env.serviceJar(role))) {
        missing.add(env.serviceJar(role).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw CliException.setup(
          "the service jars are not built: "
              + String.join(", ", missing)
              + ".\n  Build them with `mvn -B -DskipTests package` in "
              + env.repoRoot()
              + " (bin/agentos does this for you when they are missing).");
    }
    try {
      Files.createDirectories(dir.logs());
    } catch (IOException e) {
      throw CliException.setup("cannot create " + dir.logs() + ": " + e.getMessage());
    }
    Instant started = Instant.now();
    ProcessRecord nats = null;
    String url = externalNats(natsOption).orElse(null);
    if (url == null) {
      nats = startNatsServer();
      url = "nats://127.0.0.1:" + nats.port();
    }
    Map<String, String> agents = new LinkedHashMap<>();
    for (String role : Phase.roles()) {
      RoleAgent agent = RoleAgent.of(env, role);
      if (agent.configured()) {
        agents.put(role, agent.describe());
      }
    }
    List<ProcessRecord> services = new ArrayList<>();
    RunRecord run = new RunRecord(started, url, nats, services, agents);
    dir.writeRun(run);
    Map<String, String> properties = new TreeMap<>(demoDefinitions(env.repoRoot()));
    properties.putAll(definitions);
    Optional<LocalNatsUser> user = nats == null ? Optional.empty() : LocalNatsUser.read(dir.root());
    for (String role : Phase.roles()) {
      services.add(startService(role, url, properties, user));
      run = new RunRecord(started, url, nats, services, agents);
      dir.writeRun(run);
    }
    if (Files.isRegularFile(env.consoleJar())) {
      services.add(startConsole(url, user));
      run = new RunRecord(started, url, nats, services, agents);
      dir.writeRun(run);
    } else {
      out.println(
          "The web console is not built ("
              + env.consoleJar()
              + "); build it with `mvn -B -DskipTests package -pl console -am`.");
    }
    awaitReady(run, readyTimeout);
    return new Up(run, false);
  }

  /** Stops what {@code up} started (services first, then nats-server) and forgets it. */
  List<String> down(Duration grace) {
    Optional<RunRecord> recorded = dir.readRun();
    if (recorded.isEmpty()) {
      return List.of();
    }
    RunRecord run = recorded.get();
    List<String> report = new ArrayList<>();
    List<LocalProcesses.Stopped> services = LocalProcesses.stop(run.services(), grace);
    for (int i = 0; i < services.size(); i++) {
      report.add(describe(run.services().get(i), services.get(i), grace));
    }
    if (run.nats() != null) {
      LocalProcesses.Stopped nats = LocalProcesses.stop(List.of(run.nats()), grace).get(0);
      report.add(describe(run.nats(), nats, grace));
    } else {
      report.add("NATS at " + run.natsUrl() + " was not started by `agentos up`; left running");
    }
    dir.deleteRun();
    return report;
  }

  /** The names of the recorded processes that no longer run. */
  static List<String> gone(RunRecord run) {
    List<String> gone = new ArrayList<>();
    for (ProcessRecord p : run.processes()) {
      if (LocalProcesses.live(p).isEmpty()) {
        gone.add(p.name() + " (pid " + p.pid() + ")");
      }
    }
    return gone;
  }

  private static String describe(ProcessRecord p, LocalProcesses.Stopped how, Duration grace) {
    String who = p.name() + " (pid " + p.pid() + ")";
    return switch (how) {
      case NOT_RUNNING -> who + " was not running";
      case TERMINATED -> who + " stopped";
      case KILLED -> who + " killed: it did not stop within " + Elapsed.brief(grace);
    };
  }

  /** The URL of a server the user named, if it answers and has JetStream. */
  private Optional<String> externalNats(String natsOption) {
    NatsTarget target;
    if (natsOption != null && !natsOption.isBlank()) {
      target = new NatsTarget(natsOption, NatsTarget.FROM_OPTION);
    } else if (env.get("NATS_URL").isPresent()) {
      target = new NatsTarget(env.get("NATS_URL").get(), NatsTarget.FROM_ENV);
    } else {
      return Optional.empty();
    }
    try (Connection nc = AgentOsClient.open(target)) {
      nc.jetStreamManagement().getAccountStatistics();
      out.println("Using NATS at " + target.describe() + ".");
      return Optional.of(target.url());
    } catch (CliException e) {
      if (target.source().equals(NatsTarget.FROM_OPTION)) {
        throw e;
      }
      out.println(
          "NATS_URL="
              + target.url()
              + " does not answer; starting a private nats-server instead. Other commands use"
              + " NATS_URL first: unset it to reach the one started here.");
      return Optional.empty();
    } catch (Exception e) {
      throw new CliException(
          ExitCode.UNREACHABLE,
          "NATS at "
              + target.describe()
              + " answers but JetStream does not ("
              + e.getMessage()
              + "); Agent OS needs a server started with -js.");
    }
  }

  private ProcessRecord startNatsServer() {
    Path binary =
        LocalProcesses.findOnPath("nats-server", env.variables())
            .or(() -> env.get("NATS_SERVER_BIN").map(Path::of).filter(Files::isExecutable))
            .orElseThrow(
                () ->
                    CliException.setup(
                        "nats-server is not installed (looked on the PATH and in /usr/sbin)."
                            + "\n  Install it with `sudo apt-get install -y nats-server`, or download"
                            + " a release from https://github.com/nats-io/nats-server/releases"
                            + "\n  and put it on the PATH (or set NATS_SERVER_BIN). Or use a"
                            + " server you run: NATS_URL=nats://host:4222 agentos up"));
    int port = LocalProcesses.freePort();
    Path log = dir.log("nats-server");
    // Its only user and password, in a 0600 file it includes: no other local user drives it.
    LocalNatsUser.ensure(dir.root());
    List<String> command =
        List.of(
            binary.toString(),
            "-c",
            LocalNatsUser.file(dir.root()).toString(),
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-sd",
            dir.natsStore().toString(),
            "-n",
            "agentos-local");
    out.print("Starting nats-server on 127.0.0.1:" + port + " ... ");
    out.flush();
    ProcessHandle handle = LocalProcesses.start(command, Map.of(), log, dir.root());
    long deadline = System.nanoTime() + NATS_START.toNanos();
    while (!LocalProcesses.accepts("127.0.0.1", port)) {
      if (!handle.isAlive()) {
        out.println(style.red("failed"));
        throw CliException.setup(
            "nats-server stopped right away; its log "
                + log
                + " ends with:\n"
                + LocalProcesses.tail(log, 15));
      }
      if (System.nanoTime() > deadline) {
        out.println(style.red("timed out"));
        throw CliException.setup(
            "nats-server did not accept connections on port "
                + port
                + " within "
                + Elapsed.brief(NATS_START)
                + "; see "
                + log);
      }
      pause();
    }
    out.println(style.green("ok") + " (pid " + handle.pid() + ", data in " + dir.natsStore() + ")");
    return LocalProcesses.record("nats-server", handle, port, log);
  }

  private ProcessRecord startService(
      String role, String natsUrl, Map<String, String> properties, Optional<LocalNatsUser> user) {
    // The agent settings (AGENTOS_AGENTS_*) reach the services through their environment.
    return startJava(
        role,
        role + "-service",
        env.serviceJar(role),
        "-Xmx384m",
        natsUrl,
        properties,
        name -> name.startsWith("AGENTOS_"),
        user);
  }

  /**
   * The web console, with the NATS settings of this environment (the team's user) and nothing else:
   * it never sees an agent's key.
   */
  private ProcessRecord startConsole(String natsUrl, Optional<LocalNatsUser> user) {
    return startJava(
        CONSOLE,
        "web console",
        env.consoleJar(),
        "-Xmx192m",
        natsUrl,
        Map.of(),
        name -> name.startsWith("AGENTOS_NATS_"),
        user);
  }

  private ProcessRecord startJava(
      String name,
      String title,
      Path jar,
      String heap,
      String natsUrl,
      Map<String, String> properties,
      java.util.function.Predicate<String> passedOn,
      Optional<LocalNatsUser> user) {
    int port = LocalProcesses.freePort();
    Path log = dir.log(name);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dquarkus.http.host=127.0.0.1");
    command.add("-Dagentos.nats.servers=" + natsUrl);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    Map<String, String> childEnv = new HashMap<>();
    env.variables()
        .forEach(
            (key, value) -> {
              if (passedOn.test(key) || key.equals("PATH") || key.equals("HOME")) {
                childEnv.put(key, value);
              }
            });
    // The local server's credentials go by environment, which `ps` does not show.
    user.ifPresent(
        u -> {
          childEnv.put("AGENTOS_NATS_USER", u.user());
          childEnv.put("AGENTOS_NATS_PASSWORD", u.password());
        });
    ProcessHandle handle = LocalProcesses.start(command, childEnv, log, env.repoRoot());
    out.println(
        "Started "
            + title
            + " (pid "
            + handle.pid()
            + ", http 127.0.0.1:"
            + port
            + ", log "
            + log
            + ")");
    out.flush();
    return LocalProcesses.record(name, handle, port, log);
  }

  private void awaitReady(RunRecord run, Duration timeout) {
    Instant start = Instant.now();
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> waiting = new LinkedHashSet<>();
    run.services().forEach(p -> waiting.add(p.name()));
    boolean terminal = env.console();
    while (!waiting.isEmpty()) {
      for (String role : List.copyOf(waiting)) {
        ProcessRecord p = run.service(role).orElseThrow();
        if (LocalProcesses.live(p).isEmpty()) {
          clearLine(terminal);
          throw CliException.setup(
              role
                  + "-service stopped while starting; its log "
                  + p.log()
                  + " ends with:\n"
                  + LocalProcesses.tail(Path.of(p.log()), 20)
                  + "\n  The other processes still run: `agentos down` stops them.");
        }
        if (ready(p.port())) {
          waiting.remove(role);
          clearLine(terminal);
          out.println(
              "  "
                  + style.green("ready")
                  + " "
                  + role
                  + " after "
                  + Elapsed.brief(Duration.between(start, Instant.now())));
        }
      }
      if (waiting.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        clearLine(terminal);
        List<String> logs = waiting.stream().map(r -> run.service(r).orElseThrow().log()).toList();
        throw CliException.setup(
            "not ready after "
                + Elapsed.brief(timeout)
                + ": "
                + String.join(", ", waiting)
                + "; they still start in the background. See their logs ("
                + String.join(", ", logs)
                + "), wait with a longer --timeout, or stop everything with `agentos down`.");
      }
      if (terminal) {
        out.print(
            "\r\u001B[K  waiting for "
                + String.join(", ", waiting)
                + " ... "
                + Elapsed.clock(Duration.between(start, Instant.now())));
        out.flush();
      }
      pause();
    }
  }

  private void clearLine(boolean terminal) {
    if (terminal) {
      out.print("\r\u001B[K");
    }
  }

  /** Whether a service's {@code /q/health/ready} answers 200. */
  static boolean ready(int httpPort) {
    return healthStatus(httpPort) == 200;
  }

  static int healthStatus(int httpPort) {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.SETUP, "interrupted");
    }
  }
}
