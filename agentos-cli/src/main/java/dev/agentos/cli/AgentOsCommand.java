package dev.agentos.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code agentos} command and the options every subcommand shares. */
@Command(
    name = "agentos",
    mixinStandardHelpOptions = true,
    versionProvider = AgentOsCommand.Version.class,
    description = {
      "Run Agent OS locally, submit PEER cycles (Plan, Execute, Express, Review), watch and steer"
          + " them.",
      "",
      "Start here:  agentos demo",
      "Then:        agentos submit --spec <repo>/.agent-os/specs/<spec> --watch",
    },
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      WatchCommand.class,
      LogsCommand.class,
      HistoryCommand.class,
      StatsCommand.class,
      InstructionsCommand.class,
      ProjectCommand.class,
      SteerCommands.Resume.class,
      SteerCommands.Retry.class,
      SteerCommands.Cancel.class,
      SteerCommands.Approve.class,
      SteerCommands.Answer.class,
      ChangesCommands.Diff.class,
      ChangesCommands.Revert.class,
      SteerCommands.Reject.class,
      ServicesCommand.class,
      DoctorCommand.class,
      DemoCommand.class,
      McpCommand.class,
    },
    footerHeading = "%nNATS:%n",
    footer = {
      "  Commands use the server --nats names, else NATS_URL, else the one `agentos up`",
      "  started (remembered in $AGENTOS_STATE_DIR or <repo>/.agentos),",
      "  else nats://127.0.0.1:4222.",
      "  Colours and progress bars only on a terminal; NO_COLOR turns colours off.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success; for watch and demo: the cycle COMPLETED",
      "1:the cycle FAILED (watch, demo)",
      "2:the cycle was CANCELLED (watch, demo)",
      "3:the cycle waits for a person: PAUSED, AWAITING_APPROVAL or NEEDS_INPUT (watch, demo)",
      "4:no such cycle (see `agentos status`)",
      "5:the Agent OS API refused the request; the message says why",
      "6:NATS or the Agent OS services cannot be reached (run `agentos up`)",
      "7:the local setup is incomplete: a binary, jar or process is missing (`agentos doctor`)",
      "8:watch --timeout passed before the cycle stopped",
      "64:invalid command line",
      "70:internal error (a bug: please report it with the command and its output)",
    },
    usageHelpWidth = 100,
    exitCodeOnInvalidInput = ExitCode.USAGE,
    exitCodeOnExecutionException = ExitCode.INTERNAL,
    scope = ScopeType.INHERIT)
public final class AgentOsCommand implements Callable<Integer> {
  private final Environment env;

  @Spec CommandSpec spec;

  @Option(
      names = "--nats",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "the NATS server, e.g. nats://127.0.0.1:4222 (default: see below)")
  String natsUrl;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "plain output even on a terminal (as NO_COLOR does)")
  boolean noColor;

  public AgentOsCommand(Environment env) {
    this.env = env;
  }

  Environment environment() {
    return env;
  }

  Style style() {
    return new Style(env.colour() && !noColor);
  }

  StateDir stateDir() {
    return new StateDir(env.stateDir());
  }

  NatsTarget natsTarget() {
    return NatsTarget.resolve(
        natsUrl, env, stateDir().readRun(), LocalNatsUser.read(stateDir().root()));
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("agentos: name a command, e.g. `agentos up`.");
    spec.commandLine().usage(err);
    return ExitCode.USAGE;
  }

  /** The version from the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = AgentOsCommand.class.getResourceAsStream("/agentos-cli.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "agentos " + properties.getProperty("version", "unknown"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
