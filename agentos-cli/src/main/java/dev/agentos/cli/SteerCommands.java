package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ApprovalSignature;
import dev.agentos.api.Requests;
import dev.agentos.state.Budget;
import dev.agentos.state.Gate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** resume, retry, cancel, approve and answer: one request each to {@code agentos.api.<command>}. */
final class SteerCommands {
  private SteerCommands() {}

  /** Sends the request and says where the cycle stands now. */
  abstract static class Steer extends CliCommand {
    @Parameters(paramLabel = "ID", description = "the cycle")
    String cycleId;

    abstract String endpoint();

    abstract Object body();

    /** The request; a command that must read the cycle first (to sign its gate) overrides it. */
    Object body(AgentOsClient client) {
      return body();
    }

    @Override
    int run() {
      Object body = body();
      try (AgentOsClient client = connect()) {
        JsonNode reply = client.call(endpoint(), body == null ? body(client) : body);
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
        "With --nkey FILE (a NATS user nkey seed, as `nk -gen user` writes) the decision is",
        "signed: a project with approvers accepts only decisions signed by one of them.",
      })
  static class Approve extends Steer {
    @Option(names = "--reject", description = "reject instead of approving (needs --comment)")
    boolean reject;

    @Option(names = "--comment", paramLabel = "TEXT", description = "what to change, or a note")
    String comment;

    @Option(
        names = "--nkey",
        paramLabel = "FILE",
        description = "sign with the nkey seed in FILE (keep it mode 0600)")
    java.nio.file.Path nkey;

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
      return nkey == null
          ? new Requests.Approve(cycleId, !reject, comment, null, null, null, null)
          : null;
    }

    /** Signs the gate the cycle waits at now, with the seed of {@code --nkey}. */
    @Override
    Object body(AgentOsClient client) {
      char[] seed = ApproverKey.read(env().workingDir().resolve(nkey));
      try {
        JsonNode state = client.call("status", new Requests.CycleRef(cycleId));
        String gate = state.path("approval").path("gate").asText("");
        if (gate.isEmpty()) {
          throw new CliException(
              ExitCode.API_ERROR,
              "cycle "
                  + cycleId
                  + " waits at no approval gate ("
                  + state.path("status").asText()
                  + ")");
        }
        Gate at = Gate.valueOf(gate);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String signature =
            ApprovalSignature.sign(seed, ApprovalSignature.text(cycleId, at, !reject, now));
        return new Requests.Approve(
            cycleId, !reject, comment, at, now, ApprovalSignature.publicKey(seed), signature);
      } finally {
        java.util.Arrays.fill(seed, '\0');
      }
    }
  }

  @Command(
      name = "answer",
      description = {
        "Answer the question a cycle in NEEDS_INPUT waits on (see `agentos status ID`).",
        "",
        "The step whose agent asked goes on: its own session resumed with your answer.",
      })
  static final class Answer extends Steer {
    @Parameters(index = "1", paramLabel = "TEXT", description = "the answer")
    String answer;

    @Override
    String endpoint() {
      return "answer";
    }

    @Override
    Object body() {
      return new Requests.Answer(cycleId, answer);
    }
  }

  @Command(
      name = "reject",
      description = {
        "Reject a cycle waiting at an approval gate: the same as `approve --reject`.",
        "",
        "The --comment becomes the feedback of the cycle's next iteration.",
      })
  static final class Reject extends Approve {
    @Override
    Object body() {
      reject = true;
      return super.body();
    }
  }
}
