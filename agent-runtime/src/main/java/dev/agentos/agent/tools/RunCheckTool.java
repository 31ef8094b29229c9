package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code run_check}: runs one of the cycle's configured checks and tells how it went. */
final class RunCheckTool implements Tool {
  private final Map<String, Supplier<String>> checks;

  RunCheckTool(Map<String, Supplier<String>> checks) {
    this.checks = checks;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("run_check")
        .description(
            "Run one of the checks configured for this cycle and get whether it passed and its"
                + " output's end. The checks: "
                + String.join(", ", names()))
        .parameters(
            JsonObjectSchema.builder()
                .addEnumProperty("name", names(), "the check to run")
                .required("name")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String name = Args.text(arguments, "name");
    Supplier<String> check = checks.get(name);
    if (check == null) {
      throw new ToolError(
          "there is no check '" + name + "'; the checks are: " + String.join(", ", names()));
    }
    return check.get();
  }

  private List<String> names() {
    return checks.keySet().stream().sorted().toList();
  }
}
