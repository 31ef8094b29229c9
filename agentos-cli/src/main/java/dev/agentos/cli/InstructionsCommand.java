package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "instructions",
    description = {
      "List the instructions cycles can run, or show one's document.",
      "",
      "  agentos instructions [list]      name, source, what it needs, how it plans",
      "  agentos instructions show NAME   the Markdown document (front matter and prompts)",
      "",
      "Sources, each overriding the one before by name: built-in, team (the",
      "agentos-instructions bucket, agentos.api.instructions.put), workspace",
      "(.agent-os/instructions/NAME.md, with --workspace).",
    })
final class InstructionsCommand extends CliCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ACTION",
      defaultValue = "list",
      description = "list (default) or show")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "for show")
  String name;

  @Option(
      names = {"-w", "--workspace"},
      paramLabel = "DIR",
      description = "count this workspace's own .agent-os/instructions too")
  String workspace;

  @Option(names = "--json", description = "the API's reply as JSON")
  boolean json;

  @Override
  int run() {
    ObjectNode request = Json.mapper().createObjectNode();
    if (workspace != null) {
      Path dir = env().workingDir().resolve(workspace).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw CliException.usage("the workspace " + dir + " is not a directory; give -w DIR");
      }
      request.putObject("workspace").put("path", dir.toString());
    }
    String endpoint;
    if (action.equals("list")) {
      if (name != null) {
        throw CliException.usage(
            "list takes no name; to see one: `agentos instructions show NAME`");
      }
      endpoint = "instructions.list";
    } else if (action.equals("show")) {
      if (name == null) {
        throw CliException.usage("show needs the instruction's NAME, e.g. `show create-spec`");
      }
      request.put("name", name);
      endpoint = "instructions.get";
    } else {
      throw CliException.usage(
          "'" + action + "' is not an action of `agentos instructions`; use list or show NAME");
    }
    JsonNode reply;
    try (AgentOsClient client = connect()) {
      reply = client.call(endpoint, request.toString());
    }
    if (json) {
      out().println(reply.toPrettyString());
    } else if (endpoint.equals("instructions.get")) {
      note(
          "instruction "
              + reply.path("name").asText()
              + " ("
              + reply.path("source").asText()
              + ")");
      String content = reply.path("content").asText();
      out().print(content.endsWith("\n") ? content : content + "\n");
    } else {
      Table table = new Table("NAME", "SOURCE", "NEEDS", "PLAN", "DESCRIPTION");
      for (JsonNode i : reply.path("instructions")) {
        table.row(
            i.path("name").asText(),
            i.path("source").asText(),
            i.path("needs").asText().toLowerCase(java.util.Locale.ROOT),
            i.path("plan").asText().toLowerCase(java.util.Locale.ROOT),
            WatchView.abbreviate(i.path("description").asText(), 70));
      }
      table.lines(style()).forEach(out()::println);
    }
    return ExitCode.OK;
  }
}
