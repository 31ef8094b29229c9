package dev.agentos.cli.mcp;

import dev.agentos.api.CycleIds;
import dev.agentos.api.Requests;
import dev.agentos.cli.ApiRefusal;
import dev.agentos.cli.CliException;
import dev.agentos.error.AgentOsException;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.util.List;

/**
 * A cycle's state as a resource, {@code agentos://cycles/{cycle_id}}: the JSON {@code
 * agentos.api.status} answers. A resource read has no tool error to carry a refusal, so an unknown
 * cycle is MCP's resource-not-found error and anything else an internal error with the message.
 */
final class CycleResource {
  static final String PREFIX = "agentos://cycles/";
  static final String TEMPLATE = PREFIX + "{cycle_id}";

  private CycleResource() {}

  static SyncResourceTemplateSpecification spec(NatsSession nats) {
    return new SyncResourceTemplateSpecification(
        ResourceTemplate.builder(TEMPLATE, "cycle")
            .description("A cycle's state: status, phase, steps, usage, error, question, approval")
            .mimeType("application/json")
            .build(),
        (exchange, request) -> read(nats, request.uri()));
  }

  static ReadResourceResult read(NatsSession nats, String uri) {
    String cycleId = uri.startsWith(PREFIX) ? uri.substring(PREFIX.length()) : "";
    try {
      CycleIds.requireValid(cycleId);
    } catch (AgentOsException e) {
      throw McpError.builder(ErrorCodes.INVALID_PARAMS)
          .message(uri + " names no cycle: " + e.getMessage())
          .build();
    }
    try {
      String json = nats.client().call("status", new Requests.CycleRef(cycleId)).toPrettyString();
      return new ReadResourceResult(
          List.of(new TextResourceContents(uri, "application/json", json)));
    } catch (ApiRefusal e) {
      if ("NOT_FOUND".equals(e.code())) {
        throw McpError.RESOURCE_NOT_FOUND.apply(uri);
      }
      throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
    } catch (CliException e) {
      throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
    }
  }
}
