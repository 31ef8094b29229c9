package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.Requests;
import dev.agentos.state.Budget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** resume, retry, cancel and approve: one request each to {@code agentos.api.<command>}. */
final class SteerCommands {
  private SteerCommands() {}

  /** Sends the request and says where the cycle stands now. */
  abstract static class Steer extends CliCommand {
    @Parameters(paramLabel = "ID", description = "the cycle")
    String cycleId;

    abstract String endpoint();

    abstract Object body();

    @Override
    int run() {
      Object body = body();
      try (AgentOsClient client = connect()) {
        JsonNode reply = client.call(endpoint(), body);
        out()
            .println(
                "cycle "
                    + reply.path("cycle_id").asText(cycleId)
                    + ": "
                    + reply.path("status").asText()
                    + " (phase "
                    + reply.path("phase").asText()
                    + ", iteration "
                    + reply.path("iteration").asText()
                    + ")");
        return ExitCode.OK;
      }
    }
  }

  /** Options that raise a cycle's budget when it continues. */
  abstract static class Continue extends Steer {
    @Option(names = "--tokens", paramLabel = "N", description = "raise the token budget to N")
    Long tokens;

    @Option(names = "--cost-usd", paramLabel = "USD", description = "raise the cost budget")
    Double costUsd;

    @Option(
        names = "--wall-seconds",
        paramLabel = "S",
        description = "raise the wall-time budget to S seconds")
    Long wallSeconds;

    @Override
    Object body() {
      Budget budget =
          tokens == null && costUsd == null && wallSeconds == null
              ? null
              : new Budget(tokens, costUsd, wallSeconds);
      return new Requests.Resume(cycleId, budget);
    }
  }

  @Command(
      name = "resume",
      description = "Continue a PAUSED (or FAILED) cycle at the phase it stopped in.")
  static final class Resume extends Continue {
    @Override
    String endpoint() {
      return "resume";
    }
  }

  @Command(
      name = "retry",
      description = "Run a cycle's failed steps again; completed steps stay done.")
  static final class Retry extends Continue {
    @Override
    String endpoint() {
      return "retry";
    }
  }

  @Command(name = "cancel", description = "Stop a cycle; a running step stops at the next check.")
  static final class Cancel extends Steer {
    @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the record")
    String reason;

    @Override
    String endpoint() {
      return "cancel";
    }

    @Override
    Object body() {
      return new Requests.Cancel(cycleId, reason);
    }
  }

  @Command(
      name = "approve",
      description = {
        "Let a cycle waiting at an approval gate go on, or --reject it.",
        "",
        "A rejection's --comment becomes the feedback of the cycle's next iteration.",
      })
  static final class Approve extends Steer {
    @Option(names = "--reject", description = "reject instead of approving (needs --comment)")
    boolean reject;

    @Option(names = "--comment", paramLabel = "TEXT", description = "what to change, or a note")
    String comment;

    @Override
    String endpoint() {
      return "approve";
    }

    @Override
    Object body() {
      if (reject && (comment == null || comment.isBlank())) {
        throw CliException.usage(
            "--reject needs --comment 'what to change': it becomes the next iteration's feedback");
      }
      return new Requests.Approve(cycleId, !reject, comment);
    }
  }
}
