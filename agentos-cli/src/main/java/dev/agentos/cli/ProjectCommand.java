package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.json.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "project",
    description = {
      "The project registry (operators only): which team owns a project and what its",
      "cycles may use.",
      "",
      "  agentos project add NAME --team T --root DIR [options]   register a project",
      "  agentos project set NAME [options]                       change the options given",
      "  agentos project show NAME",
      "  agentos project list",
      "",
      "A team's NATS account submits only for its own projects; a project with approvers",
      "accepts only approvals signed by one of them (agentos approve --nkey FILE).",
    })
final class ProjectCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "ACTION", description = "add, set, show or list")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the project")
  String name;

  @Option(names = "--team", paramLabel = "TEAM", description = "the team that owns it")
  String team;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      split = ",",
      description = "absolute directories its workspaces must lie under (replaces the list)")
  List<String> roots;

  @Option(
      names = "--git-remote",
      paramLabel = "URL",
      split = ",",
      description = "URL prefixes its git workspaces may come from (replaces the list)")
  List<String> remotes;

  @Option(
      names = "--allow-fast-forward",
      paramLabel = "true|false",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "whether its git cycles may ask to fast-forward their base branch at COMPLETED"
              + " (submit --deliver fast-forward); not allowed by default")
  Boolean allowFastForward;

  @Option(
      names = "--profiles",
      paramLabel = "NAME",
      split = ",",
      description = "the agent profiles it may choose (default: every profile offered)")
  List<String> profiles;

  @Option(
      names = "--checks",
      paramLabel = "NAME",
      split = ",",
      description = "the checks it may name (default: every check offered)")
  List<String> checks;

  @Option(
      names = "--approver",
      paramLabel = "UKEY",
      split = ",",
      description = "public user nkeys (U...) that may approve its gates (replaces the list)")
  List<String> approvers;

  @Option(names = "--max-tokens", paramLabel = "N", description = "budget ceiling: tokens")
  Long maxTokens;

  @Option(names = "--max-cost", paramLabel = "USD", description = "budget ceiling: cost")
  Double maxCost;

  @Option(names = "--max-wall", paramLabel = "SECONDS", description = "budget ceiling: time")
  Long maxWall;

  @Option(names = "--max-cycles", paramLabel = "N", description = "quota: cycles in flight")
  Integer maxCycles;

  @Option(
      names = "--max-standards",
      paramLabel = "N",
      description = "quota: standards in the project's scope")
  Integer maxStandards;

  @Option(
      names = "--max-standard-bytes",
      paramLabel = "N",
      description = "quota: the size of one standard")
  Integer maxStandardBytes;

  @Option(names = "--json", description = "the API's reply as JSON")
  boolean json;

  @Override
  int run() {
    try (AgentOsClient client = connect()) {
      JsonNode reply;
      switch (action) {
        case "list" -> reply = client.call("projects.list", "{}");
        case "show" -> reply = client.call("projects.get", ref().toString());
        case "add" -> {
          ObjectNode project = Json.mapper().createObjectNode().put("name", requireName());
          reply = client.call("projects.add", apply(project).toString());
        }
        case "set" -> {
          ObjectNode project = (ObjectNode) client.call("projects.get", ref().toString());
          project.remove("updated_at");
          reply = client.call("projects.set", apply(project).toString());
        }
        default ->
            throw CliException.usage(
                "'"
                    + action
                    + "' is not an action of `agentos project`; use add, set, show or list");
      }
      print(reply);
    }
    return ExitCode.OK;
  }

  private ObjectNode ref() {
    return Json.mapper().createObjectNode().put("name", requireName());
  }

  private String requireName() {
    if (name == null) {
      throw CliException.usage(action + " needs the project's NAME, e.g. `" + action + " shop`");
    }
    return name;
  }

  /** The record with every option given replacing its field. */
  private ObjectNode apply(ObjectNode project) {
    if (team != null) {
      project.put("team", team);
    }
    list(project, "workspace_roots", roots);
    list(project, "git_remotes", remotes);
    if (allowFastForward != null) {
      project.put("allow_fast_forward", allowFastForward);
    }
    list(project, "profiles", profiles);
    list(project, "checks", checks);
    list(project, "approvers", approvers);
    if (maxTokens != null || maxCost != null || maxWall != null) {
      ObjectNode ceiling = object(project, "budget_ceiling");
      if (maxTokens != null) {
        ceiling.put("tokens", maxTokens);
      }
      if (maxCost != null) {
        ceiling.put("cost_usd", maxCost);
      }
      if (maxWall != null) {
        ceiling.put("wall_seconds", maxWall);
      }
    }
    if (maxCycles != null) {
      object(project, "quotas").put("cycles_in_flight", maxCycles);
    }
    if (maxStandards != null) {
      object(project, "quotas").put("standards", maxStandards);
    }
    if (maxStandardBytes != null) {
      object(project, "quotas").put("standard_bytes", maxStandardBytes);
    }
    return project;
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    return existing instanceof ObjectNode o ? o : parent.putObject(field);
  }

  private static void list(ObjectNode project, String field, List<String> values) {
    if (values != null) {
      ArrayNode array = project.putArray(field);
      values.forEach(array::add);
    }
  }

  private void print(JsonNode reply) {
    if (json) {
      out().println(reply.toPrettyString());
      return;
    }
    if (reply.has("projects")) {
      Table table = new Table("PROJECT", "TEAM", "WORKSPACES", "APPROVERS");
      for (JsonNode p : reply.path("projects")) {
        table.row(
            p.path("name").asText(),
            p.path("team").asText(),
            joined(p.path("workspace_roots"), p.path("git_remotes")),
            Integer.toString(p.path("approvers").size()));
      }
      table.lines(style()).forEach(out()::println);
      return;
    }
    out()
        .println(
            "project "
                + reply.path("name").asText()
                + " (team "
                + reply.path("team").asText()
                + ")");
    out()
        .println(
            "  workspaces: " + joined(reply.path("workspace_roots"), reply.path("git_remotes")));
    out().println("  profiles:   " + orAll(reply.path("profiles")));
    out().println("  checks:     " + orAll(reply.path("checks")));
    out()
        .println(
            "  approvers:  "
                + (reply.path("approvers").isEmpty()
                    ? "none (unsigned approvals)"
                    : joined(reply.path("approvers"))));
    if (reply.hasNonNull("budget_ceiling")) {
      out().println("  ceiling:    " + reply.path("budget_ceiling"));
    }
    out().println("  quotas:     " + reply.path("quotas"));
  }

  private static String orAll(JsonNode names) {
    return names.isEmpty() ? "every one the operator offers" : joined(names);
  }

  private static String joined(JsonNode... lists) {
    StringBuilder text = new StringBuilder();
    for (JsonNode list : lists) {
      for (JsonNode item : list) {
        text.append(text.length() == 0 ? "" : ", ").append(item.asText());
      }
    }
    return text.toString();
  }
}
