package dev.agentos.e2e.cli;

import dev.agentos.cli.AgentOsCli;
import dev.agentos.cli.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the agentos CLI in this JVM, as a person would type it, with an environment of the test's
 * choosing (a private state dir, no NATS_URL of the machine).
 */
public final class CliRunner {
  private final Environment env;

  public CliRunner(Path repoRoot, Map<String, String> variables) {
    Map<String, String> vars = new HashMap<>(System.getenv());
    // The machine's NATS_URL (if any) must not decide where the test's commands go.
    vars.remove("NATS_URL");
    vars.putAll(variables);
    this.env = new Environment(vars, repoRoot, repoRoot, false);
  }

  /** What one command printed and its exit code. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AgentOsCli.execute(env, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  public Environment environment() {
    return env;
  }
}
