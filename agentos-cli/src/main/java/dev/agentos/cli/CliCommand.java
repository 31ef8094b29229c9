package dev.agentos.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand has: the environment, the output streams, the style and the NATS URL. */
abstract class CliCommand implements Callable<Integer> {
  @ParentCommand AgentOsCommand root;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** Does the command's work; returns the exit code. */
  abstract int run() throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Environment env() {
    return root.environment();
  }

  Style style() {
    return root.style();
  }

  StateDir stateDir() {
    return root.stateDir();
  }

  NatsTarget natsTarget() {
    return root.natsTarget();
  }

  AgentOsClient connect() {
    return AgentOsClient.connect(natsTarget());
  }

  /** Progress and hints for a person go to stderr, so stdout stays clean for scripts. */
  void note(String line) {
    err().println(line);
    err().flush();
  }
}
