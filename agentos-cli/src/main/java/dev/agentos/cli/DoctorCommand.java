package dev.agentos.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "doctor",
    description = {
      "Check what Agent OS needs and say how to fix what is missing.",
      "",
      "Java, nats-server, NATS and JetStream at the URL the other commands use, its streams",
      "and buckets, the services, the built jars, what `agentos up` started, and each role's",
      "agent (AGENTOS_AGENTS_<ROLE>_BACKEND, _MODEL, _COMMAND, and whether _API_KEY is set:",
      "a key is never shown). Exits 7 when a check fails.",
    })
final class DoctorCommand extends CliCommand {
  @Option(names = "--json", description = "{\"ok\":..,\"nats_url\":..,\"checks\":[...]}")
  boolean json;

  @Override
  int run() {
    NatsTarget target = natsTarget();
    List<DoctorCheck> checks = new Doctor(env(), target, stateDir()).run();
    boolean ok = checks.stream().noneMatch(c -> c.level() == DoctorCheck.Level.FAIL);
    if (json) {
      ObjectNode root = Json.mapper().createObjectNode();
      root.put("ok", ok);
      root.put("nats_url", target.url());
      root.put("nats_url_source", target.source());
      root.set("checks", Json.mapper().valueToTree(checks));
      out().println(root.toPrettyString());
    } else {
      DoctorReport.lines(checks, style()).forEach(out()::println);
      out().println();
      out()
          .println(
              ok
                  ? style().green("Everything Agent OS needs is in place.")
                  : style().red("Fix the FAIL lines above, then run `agentos doctor` again."));
    }
    return ok ? ExitCode.OK : ExitCode.SETUP;
  }
}
