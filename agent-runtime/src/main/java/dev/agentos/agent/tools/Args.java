package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a tool call's arguments; a missing or mistyped one is a {@link ToolError}. */
final class Args {
  private Args() {}

  static String text(JsonNode arguments, String name) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      throw new ToolError("the argument \"" + name + "\" is required");
    }
    if (!value.isTextual()) {
      throw new ToolError("the argument \"" + name + "\" must be a string");
    }
    return value.asText();
  }

  static String text(JsonNode arguments, String name, String fallback) {
    JsonNode value = arguments.get(name);
    return value == null || value.isNull() ? fallback : text(arguments, name);
  }

  static int number(JsonNode arguments, String name, int fallback, int min, int max) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToInt() && !(value.isTextual() && value.asText().matches("-?\\d{1,9}"))) {
      throw new ToolError("the argument \"" + name + "\" must be a whole number");
    }
    int n = value.isTextual() ? Integer.parseInt(value.asText()) : value.asInt();
    if (n < min || n > max) {
      throw new ToolError(
          "the argument \"" + name + "\" must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }
}
