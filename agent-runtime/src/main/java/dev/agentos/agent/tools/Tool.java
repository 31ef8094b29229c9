package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;

/**
 * One tool a model agent may call. A call the tool refuses or cannot carry out throws {@link
 * ToolError} (or an {@code AgentOsException} from the confined workspace accessor); the loop sends
 * its message back to the model as the call's result, and the model goes on.
 */
public interface Tool {
  /** The name, description and parameters the model sees. */
  ToolSpecification specification();

  /**
   * Carries out one call with the model's arguments (a JSON object); returns what the model reads.
   */
  String call(JsonNode arguments);

  default String name() {
    return specification().name();
  }
}
