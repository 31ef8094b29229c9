package dev.agentos.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.cli.ApiRefusal;
import dev.agentos.cli.CliException;
import dev.agentos.cli.ExitCode;
import dev.agentos.json.Json;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;

/**
 * Builds a tool from its name, description, schema and handler, and turns whatever the handler
 * throws into a tool error the model can read: {@code CODE: message}, with {@code isError}. Only a
 * bug (an exception nobody meant) is left to the SDK, which answers it as a protocol error.
 */
final class ToolSpecs {
  private ToolSpecs() {}

  /** What a tool does with its input; {@code exchange} sends progress. */
  interface Handler {
    CallToolResult call(ToolInput input, McpSyncServerExchange exchange, CallToolRequest request);
  }

  static SyncToolSpecification tool(
      String name, String description, Schema schema, Handler handler) {
    return SyncToolSpecification.builder()
        .tool(Tool.builder(name, schema.build()).description(description).build())
        .callHandler(
            (exchange, request) -> {
              try {
                return handler.call(new ToolInput(request.arguments()), exchange, request);
              } catch (ToolError e) {
                return error(e.code(), e.getMessage());
              } catch (ApiRefusal e) {
                return error(e.code(), e.reason());
              } catch (CliException e) {
                return error(codeOf(e), e.getMessage());
              }
            })
        .build();
  }

  /** A reply of the control API, as JSON text and as structured content. */
  static CallToolResult json(JsonNode body) {
    return CallToolResult.builder()
        .content(List.of(new TextContent(body.toPrettyString())))
        .structuredContent(Json.convert(body, Map.class))
        .build();
  }

  static CallToolResult text(String text) {
    return CallToolResult.builder().content(List.of(new TextContent(text))).build();
  }

  static CallToolResult error(String code, String message) {
    return CallToolResult.builder()
        .content(List.of(new TextContent(code + ": " + message)))
        .isError(true)
        .build();
  }

  private static String codeOf(CliException e) {
    return switch (e.exitCode()) {
      case ExitCode.NOT_FOUND -> "NOT_FOUND";
      case ExitCode.UNREACHABLE -> ToolError.UNAVAILABLE;
      case ExitCode.USAGE -> ToolError.INVALID_ARGUMENTS;
      default -> "ERROR";
    };
  }
}
