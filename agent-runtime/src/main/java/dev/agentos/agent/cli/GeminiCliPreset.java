package dev.agentos.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Gemini CLI, headless: {@code gemini --output-format json -p <instruction>}, the prompt on
 * standard input (headless mode appends what it reads there to the {@code -p} text).
 *
 * <p>The output is one JSON object: {@code response} (the answer), {@code stats} ({@code models}:
 * per model, {@code tokens} with {@code prompt} (cached included), {@code candidates}, {@code
 * thoughts}, {@code tool}, {@code cached}; {@code tools}: calls by name) and, on failure, {@code
 * error} ({@code type}, {@code message}). Gemini CLI reports no cost: the price table prices each
 * model's tokens. Documented at https://geminicli.com/docs/cli/headless/ (JSON output, exit codes).
 * It cannot be resumed by id here: an interrupted step starts again fresh, with the step's notes.
 */
public final class GeminiCliPreset implements CliPreset {
  static final String INSTRUCTION = "Carry out the task given on standard input.";

  @Override
  public String program() {
    return "gemini";
  }

  @Override
  public List<String> arguments(
      CliOptions options, String model, CliSession session, Path promptFile) {
    List<String> args = new ArrayList<>(List.of("--output-format", "json"));
    if (model != null) {
      args.addAll(List.of("--model", model));
    }
    args.addAll(List.of("-p", INSTRUCTION));
    return args;
  }

  @Override
  public CliReport parse(String stdout) {
    int start = stdout.indexOf('{');
    int end = stdout.lastIndexOf('}');
    JsonNode root =
        start < 0 || end < start
            ? null
            : JsonLines.object(stdout.substring(start, end + 1).replace('\n', ' ')).orElse(null);
    if (root == null) {
      return new CliReport(
          stdout, null, List.of(), null, null, "gemini printed no JSON result", List.of());
    }
    List<ModelTokens> models = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("stats").path("models").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> model = it.next();
      JsonNode tokens = model.getValue().path("tokens");
      models.add(
          new ModelTokens(
              model.getKey(),
              tokens.path("prompt").asLong() + tokens.path("tool").asLong(),
              tokens.path("candidates").asLong() + tokens.path("thoughts").asLong()));
    }
    List<CliEvent> events = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            root.path("stats").path("tools").path("byName").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> tool = it.next();
      events.add(
          new CliEvent(
              CliEvent.Kind.TOOL_CALL,
              tool.getKey() + " ×" + tool.getValue().path("count").asLong(1)));
    }
    String response = JsonLines.text(root, "response");
    if (response != null) {
      events.add(new CliEvent(CliEvent.Kind.MESSAGE, response));
    }
    JsonNode error = root.path("error");
    String failure =
        error.isObject()
            ? "gemini reported "
                + JsonLines.text(error, "type")
                + ": "
                + JsonLines.text(error, "message")
            : null;
    return new CliReport(response, null, models, null, null, failure, events);
  }
}
