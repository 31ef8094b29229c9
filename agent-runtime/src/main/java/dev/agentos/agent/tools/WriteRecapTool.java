package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.function.Consumer;

/**
 * {@code write_recap}: gives Express the recap's summary of the iteration; Express writes it into
 * the recap file with the record of what was done, which it keeps itself.
 */
final class WriteRecapTool implements Tool {
  static final int MAX_CHARS = 4000;

  private final Consumer<String> recap;

  WriteRecapTool(Consumer<String> recap) {
    this.recap = recap;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("write_recap")
        .description(
            "Write the recap's summary of this iteration for a person who was not there (plain"
                + " language, what changed, what did not get done and why, what comes next). A"
                + " later call replaces it.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("text", "the summary, at most " + MAX_CHARS + " characters")
                .required("text")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String text = Args.text(arguments, "text").strip();
    if (text.isEmpty() || text.length() > MAX_CHARS) {
      throw new ToolError("the summary must have 1 to " + MAX_CHARS + " characters");
    }
    recap.accept(text);
    return "the recap's summary is written (" + text.length() + " characters)";
  }
}
