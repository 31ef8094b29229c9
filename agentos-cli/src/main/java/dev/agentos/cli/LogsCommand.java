package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.Topology;
import dev.agentos.state.Status;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    description = {
      "Show a cycle's lifecycle events, oldest first.",
      "",
      "Reads agentos.events.<id>.> from the AGENTOS_EVENTS stream: submitted, claimed,",
      "step_started, step_finished, step_note, transition, retrying, requeued, dead_lettered.",
    })
final class LogsCommand extends CliCommand {
  private static final Duration FIRST_WAIT = Duration.ofSeconds(3);

  @Parameters(paramLabel = "ID", description = "the cycle")
  String cycleId;

  @Option(
      names = {"-f", "--follow"},
      description = "keep printing new events until the cycle ends (or Ctrl-C)")
  boolean follow;

  @Option(
      names = "--json",
      description = "a JSON array of the events (with --follow: one JSON object per line)")
  boolean json;

  @Override
  int run() throws Exception {
    try (AgentOsClient client = connect()) {
      Connection nc = client.connection();
      String subject = Topology.EVENTS_PREFIX + cycleId + ".>";
      long stored = storedEvents(client, subject);
      if (stored == 0 && !follow) {
        if (client.cycles().get(Topology.cycleKey(cycleId)) == null) {
          throw CliException.unknownCycle(cycleId);
        }
        if (json) {
          out().println("[]");
        } else {
          note("cycle " + cycleId + " has no events (they expire after the stream's max age)");
        }
        return ExitCode.OK;
      }
      JetStreamSubscription sub =
          nc.jetStream()
              .subscribe(
                  subject,
                  PushSubscribeOptions.builder().stream(Topology.EVENTS_STREAM)
                      .ordered(true)
                      .build());
      ArrayNode all = Json.mapper().createArrayNode();
      try {
        while (true) {
          Message m = sub.nextMessage(follow ? Duration.ofSeconds(1) : FIRST_WAIT);
          if (m == null) {
            if (follow) {
              continue;
            }
            break;
          }
          JsonNode tree = Json.tree(m.getData());
          CycleEvent event = Json.convertStored(tree, CycleEvent.class);
          if (json && follow) {
            out().println(tree.toString());
          } else if (json) {
            all.add(tree);
          } else {
            out().println(EventLine.of(event, ZoneId.systemDefault(), style()));
          }
          out().flush();
          boolean caughtUp = m.metaData().pendingCount() == 0;
          if (caughtUp && (!follow || ended(event))) {
            break;
          }
        }
      } finally {
        sub.unsubscribe();
      }
      if (json && !follow) {
        out().println(all.toPrettyString());
      }
      return ExitCode.OK;
    }
  }

  private static boolean ended(CycleEvent event) {
    Status status = event.status();
    return status != null && (status.isFinal() || status.waitsForPerson());
  }

  private static long storedEvents(AgentOsClient client, String subject) {
    try {
      StreamInfo info =
          client
              .connection()
              .jetStreamManagement()
              .getStreamInfo(Topology.EVENTS_STREAM, StreamInfoOptions.filterSubjects(subject));
      List<Subject> subjects = info.getStreamState().getSubjects();
      return subjects == null ? 0 : subjects.stream().mapToLong(Subject::getCount).sum();
    } catch (IOException | JetStreamApiException e) {
      throw client.missingTopology("the stream " + Topology.EVENTS_STREAM, e);
    }
  }
}
