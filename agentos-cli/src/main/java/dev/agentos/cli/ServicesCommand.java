package dev.agentos.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import io.nats.service.Discovery;
import io.nats.service.InfoResponse;
import io.nats.service.StatsResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "services",
    description = {
      "List the running service instances and their endpoint stats.",
      "",
      "Asks NATS service discovery ($SRV.INFO, $SRV.STATS), as `nats micro ls` does:",
      "agentos-api runs in every role service; whatever else is registered shows too.",
    })
final class ServicesCommand extends CliCommand {
  static final long DISCOVERY_MILLIS = 1500;

  @Option(names = "--json", description = "{\"services\":[...]} with each instance's endpoints")
  boolean json;

  @Override
  int run() {
    try (AgentOsClient client = connect()) {
      Discovery discovery = new Discovery(client.connection(), DISCOVERY_MILLIS, 1000);
      List<InfoResponse> infos = discovery.info();
      Map<String, StatsResponse> stats =
          discovery.stats().stream()
              .collect(Collectors.toMap(StatsResponse::getId, Function.identity(), (a, b) -> a));
      List<ServiceInstance> instances = ServiceInstance.of(infos, stats);
      if (json) {
        ArrayNode array = Json.mapper().valueToTree(instances);
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("services", array);
        out().println(root.toPrettyString());
      } else {
        ServiceInstance.lines(instances, style()).forEach(out()::println);
      }
      if (instances.isEmpty()) {
        note(
            "no service answers discovery on NATS at "
                + client.target().describe()
                + "; start the services with `agentos up`");
        return ExitCode.UNREACHABLE;
      }
      return ExitCode.OK;
    }
  }
}
