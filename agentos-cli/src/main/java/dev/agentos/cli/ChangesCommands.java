package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.state.Phase;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * diff and revert: a cycle's commits as the executor sees them on the remote, through NATS — the
 * CLI's machine needs no access to the remote.
 */
final class ChangesCommands {
  private ChangesCommands() {}

  private static Map<String, String> body(String cycleId, String step) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("cycle_id", cycleId);
    if (step != null) {
      body.put("step", step);
    }
    return body;
  }

  @Command(
      name = "diff",
      description =
          "Show what a cycle (or one step) changed: its commits on branch agentos/<id>, as a diff")
  static final class Diff extends CliCommand {
    @Parameters(paramLabel = "ID", description = "the cycle")
    String cycleId;

    @Option(names = "--step", paramLabel = "N", description = "only this step's commit")
    String step;

    @Option(names = "--json", description = "print the reply as JSON (files, from, to, diff)")
    boolean json;

    @Override
    int run() {
      try (AgentOsClient client = connect()) {
        JsonNode reply = client.callRole(Phase.EXECUTE, "diff", body(cycleId, step));
        if (json) {
          out().println(reply.toPrettyString());
        } else {
          out().print(reply.path("diff").asText());
          note(
              reply.path("files").size()
                  + " file(s) changed, "
                  + reply.path("from").asText()
                  + ".."
                  + reply.path("to").asText());
        }
        return ExitCode.OK;
      }
    }
  }

  @Command(
      name = "revert",
      description =
          "Revert one step of a cycle: a new commit on branch agentos/<id>, recorded in the state"
              + " (the cycle must not be running a phase)")
  static final class Revert extends CliCommand {
    @Parameters(paramLabel = "ID", description = "the cycle")
    String cycleId;

    @Option(names = "--step", paramLabel = "N", required = true, description = "the step")
    String step;

    @Override
    int run() {
      try (AgentOsClient client = connect()) {
        JsonNode reply = client.callRole(Phase.EXECUTE, "revert", body(cycleId, step));
        out()
            .println(
                "cycle "
                    + cycleId
                    + ": step "
                    + step
                    + " ("
                    + reply.path("reverted").asText()
                    + ") reverted by "
                    + reply.path("commit").asText());
        return ExitCode.OK;
      }
    }
  }
}
