package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentos.api.Requests;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.Topology;
import dev.agentos.state.Status;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
      "A team's user, whose account reads no stream, gets the newest of them from",
      "agentos.api.events and follows the live events its account receives.",
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
      if (!client.readsCycles()) {
        return logsAsTeam(client);
      }
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
          CycleEvent event = print(Json.tree(m.getData()), all);
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

  /**
   * A team's account has no JetStream: the past events come from {@code agentos.api.events} (the
   * newest of them; how many older ones it left out is said), the new ones from the live events the
   * account imports, subscribed before the past is read so that none falls between the two.
   */
  private int logsAsTeam(AgentOsClient client) throws InterruptedException {
    BlockingQueue<JsonNode> live = new LinkedBlockingQueue<>();
    Dispatcher subscription =
        follow ? client.subscribeEvents(cycleId, m -> live.add(Json.tree(m.getData()))) : null;
    try {
      JsonNode reply = client.call("events", new Requests.CycleRef(cycleId));
      long omitted = reply.path("omitted").asLong();
      if (omitted > 0) {
        note(omitted + " older events of cycle " + cycleId + " are left out; the newest follow");
      }
      ArrayNode all = Json.mapper().createArrayNode();
      Set<String> shown = new HashSet<>();
      CycleEvent last = null;
      for (JsonNode tree : reply.path("events")) {
        last = print(tree, all);
        shown.add(tree.toString());
      }
      if (!follow) {
        if (json) {
          out().println(all.toPrettyString());
        } else if (last == null) {
          note("cycle " + cycleId + " has no events (they expire after the stream's max age)");
        }
        return ExitCode.OK;
      }
      while (last == null || !ended(last)) {
        JsonNode tree = live.poll(1, TimeUnit.SECONDS);
        if (tree != null && shown.add(tree.toString())) {
          last = print(tree, all);
        }
      }
      return ExitCode.OK;
    } finally {
      if (subscription != null) {
        client.closeQuietly(subscription);
      }
    }
  }

  /** Prints one event as the stream path does; returns it. */
  private CycleEvent print(JsonNode tree, ArrayNode all) {
    CycleEvent event = Json.convertStored(tree, CycleEvent.class);
    if (json && follow) {
      out().println(tree.toString());
    } else if (json) {
      all.add(tree);
    } else {
      out().println(EventLine.of(event, ZoneId.systemDefault(), style()));
    }
    out().flush();
    return event;
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
