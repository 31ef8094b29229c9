package dev.agentos.cli;

import dev.agentos.error.AgentOsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** {@code agentos}: the entry point of the runnable jar that {@code bin/agentos} starts. */
public final class AgentOsCli {
  private AgentOsCli() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(Environment.system(), out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; what it prints goes to out and err. */
  public static int execute(Environment env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(env, out, err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Environment env, PrintWriter out, PrintWriter err) {
    Style style = new Style(env.colour());
    CommandLine cli = new CommandLine(new AgentOsCommand(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setColorScheme(
        CommandLine.Help.defaultColorScheme(
            env.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          err.println(style.red("agentos: ") + ex.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
          err.println("See `" + failed.getCommandSpec().qualifiedName() + " --help`.");
          return ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof CliException failure) {
            err.println(style.red("agentos: ") + failure.getMessage());
            return failure.exitCode();
          }
          if (ex instanceof AgentOsException failure) {
            err.println(
                style.red("agentos: ") + failure.getMessage() + " [" + failure.code() + "]");
            return ExitCode.API_ERROR;
          }
          err.println(
              style.red("agentos: internal error: ")
                  + ex
                  + "\n  This is a bug; please report it with the command and this output.");
          if (env.get("AGENTOS_DEBUG").isPresent()) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.println(trace);
          } else {
            err.println("  Set AGENTOS_DEBUG=1 to see the stack trace.");
          }
          return ExitCode.INTERNAL;
        });
    return cli;
  }
}
