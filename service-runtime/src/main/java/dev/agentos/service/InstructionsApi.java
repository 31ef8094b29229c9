package dev.agentos.service;

import dev.agentos.api.DocumentQuotas;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import dev.agentos.instruction.InstructionParser;
import dev.agentos.json.Json;
import dev.agentos.nats.Topology;
import dev.agentos.state.Workspace;
import dev.agentos.workspace.WorkspacePaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code agentos.api.instructions.list|get|put}: the instructions a team can run, and a way to add
 * or override one team-wide. A document is parsed before it is stored, so a broken one is refused
 * with the reason instead of breaking the next submit.
 */
public final class InstructionsApi {
  private final Instructions instructions;
  private final WorkspacePaths workspaces;
  private final DocumentQuotas quotas;

  public InstructionsApi(
      Instructions instructions, WorkspacePaths workspaces, DocumentQuotas quotas) {
    this.instructions = instructions;
    this.workspaces = workspaces;
    this.quotas = quotas;
  }

  /** {@code workspace} is optional: with it, the workspace's own instructions count too. */
  public record ListRequest(Workspace workspace) {}

  public record GetRequest(String name, Workspace workspace) {}

  public record PutRequest(String name, String content) {}

  public record Summary(String name, String description, String source, String needs, String plan) {
    static Summary of(Instruction i) {
      return new Summary(i.name(), i.description(), i.source(), i.needs().name(), i.plan().name());
    }
  }

  public record ListReply(List<Summary> instructions) {}

  public record Document(String name, String source, String content) {}

  public JsonEndpoints addTo(JsonEndpoints endpoints) {
    return endpoints
        .add(Topology.apiSubject("instructions.list"), this::list)
        .add(Topology.apiSubject("instructions.get"), this::get)
        .add(Topology.apiSubject("instructions.put"), this::put);
  }

  Object list(byte[] body) {
    ListRequest request = Json.read(body, ListRequest.class);
    Map<String, Instruction> all = instructions.catalog().list(workspace(request.workspace()));
    return new ListReply(all.values().stream().map(Summary::of).toList());
  }

  Object get(byte[] body) {
    GetRequest request = Json.read(body, GetRequest.class);
    if (request.name() == null) {
      throw AgentOsException.invalid("name is required");
    }
    Path workspace = workspace(request.workspace());
    Instruction found = instructions.catalog().require(request.name(), workspace);
    String content =
        switch (found.source()) {
          case "team" -> instructions.store().get(found.name()).orElseThrow();
          case "workspace" -> readWorkspace(workspace, found.name());
          default -> InstructionCatalog.builtIn(found.name()).orElseThrow();
        };
    return new Document(found.name(), found.source(), content);
  }

  Object put(byte[] body) {
    PutRequest request = Json.read(body, PutRequest.class);
    if (request.content() == null || request.content().isBlank()) {
      throw AgentOsException.invalid("content is required: the instruction document (Markdown)");
    }
    Instruction parsed = InstructionParser.parse(request.content(), "team");
    if (request.name() != null && !request.name().equals(parsed.name())) {
      throw AgentOsException.invalid(
          "name '" + request.name() + "' differs from the document's name '" + parsed.name() + "'");
    }
    quotas.requireInstructionRoom(parsed.name(), request.content(), instructions.store().names());
    instructions.store().put(parsed.name(), request.content());
    return Summary.of(parsed);
  }

  private Path workspace(Workspace workspace) {
    return workspace == null ? null : workspaces.workspace(workspace.path());
  }

  private static String readWorkspace(Path workspace, String name) {
    return dev.agentos.workspace.WorkspaceFiles.of(workspace)
        .read(InstructionCatalog.WORKSPACE_DIR + "/" + name + ".md", "instruction")
        .orElseThrow(
            () -> new AgentOsException(ErrorCode.NOT_FOUND, "cannot read instruction " + name));
  }
}
