package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.process.ProcessLauncher;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools of one call: the role's (see {@link ToolAccess.Role}) over its workspace, within the
 * profile's {@link ToolSettings}. Carrying out a call never throws for what the model asked: a
 * refused or failed call is a result marked as an error, which the model reads and answers.
 */
public final class Toolbox {
  /** What every model agent is told about working with the tools. */
  static final String GUIDE =
      "\n\n## Tools\nYou work in the workspace only through the tools you are given ("
          + "%s); paths are relative to the workspace root. Call them as often as you need, then"
          + " give your answer as a message without a tool call: that ends your turn.\n";

  private final Map<String, Tool> tools = new LinkedHashMap<>();
  private final int resultChars;

  private Toolbox(List<Tool> tools, int resultChars) {
    tools.forEach(t -> this.tools.put(t.name(), t));
    this.resultChars = resultChars;
  }

  /** The role's tools over its workspace, within {@code settings}. */
  public static Toolbox of(ToolAccess access, ToolSettings settings, ProcessLauncher launcher) {
    Workspace workspace = new Workspace(access.workspace());
    List<Tool> tools = new ArrayList<>();
    tools.add(new ListFilesTool(workspace));
    tools.add(new ReadFileTool(workspace));
    tools.add(new SearchTool(workspace));
    switch (access.role()) {
      case EXECUTOR -> {
        tools.add(new WriteFileTool(workspace));
        tools.add(new ApplyPatchTool(workspace));
        if (!settings.run().isEmpty()) {
          tools.add(new RunTool(workspace, settings, launcher));
        }
      }
      case REVIEW -> {
        tools.add(new GitDiffTool(workspace, access.diffBase(), settings.resultChars() - 200));
        if (!access.checks().isEmpty()) {
          tools.add(new RunCheckTool(access.checks()));
        }
      }
      case EXPRESS -> {
        if (access.recap() != null) {
          tools.add(new WriteRecapTool(access.recap()));
        }
      }
      case PLANNER -> {
        // read-only
      }
    }
    return new Toolbox(tools, settings.resultChars());
  }

  public List<String> names() {
    return List.copyOf(tools.keySet());
  }

  public List<ToolSpecification> specifications() {
    return tools.values().stream().map(Tool::specification).toList();
  }

  /** The note on the tools that ends the prompt. */
  public String guide() {
    return String.format(GUIDE, String.join(", ", names()));
  }

  /** What one call gave: its text for the model, and whether it is an error. */
  public record Result(String text, boolean error) {}

  /**
   * Carries out the model's call. An unknown tool, arguments that are not a JSON object, a refusal
   * of the workspace accessor and a failure of the tool all come back as an error result; only a
   * cancel (the phase is stopping) is thrown.
   */
  public Result execute(ToolExecutionRequest request) {
    Tool tool = tools.get(request.name());
    if (tool == null) {
      return error("there is no tool '" + request.name() + "'; the tools are " + names());
    }
    JsonNode arguments;
    try {
      String json =
          request.arguments() == null || request.arguments().isBlank() ? "{}" : request.arguments();
      arguments = Json.tree(json.getBytes(StandardCharsets.UTF_8));
    } catch (AgentOsException e) {
      return error("the arguments are not valid JSON: " + e.getMessage());
    }
    if (!arguments.isObject()) {
      return error("the arguments must be a JSON object");
    }
    try {
      return new Result(bounded(tool.call(arguments)), false);
    } catch (ToolError e) {
      return error(e.getMessage());
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e;
      }
      return error(e.getMessage());
    } catch (RuntimeException e) {
      return error(request.name() + " failed: " + e);
    }
  }

  private Result error(String message) {
    return new Result(bounded("error: " + message), true);
  }

  private String bounded(String text) {
    if (text.length() <= resultChars) {
      return text;
    }
    int keep = resultChars - 120;
    return text.substring(0, keep)
        + "\n[… "
        + (text.length() - keep)
        + " more characters left out: ask for a smaller part]";
  }
}
