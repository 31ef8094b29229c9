package dev.agentos.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One in-process run of the CLI, with what it printed. */
record CliRun(int code, String out, String err) {

  static CliRun of(Environment env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AgentOsCli.execute(env, new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** An environment with only {@code variables}, a repository at {@code root}, no terminal. */
  static Environment env(Path root, Map<String, String> variables) {
    Map<String, String> vars = new HashMap<>(variables);
    vars.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    return new Environment(vars, root, root, false);
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
