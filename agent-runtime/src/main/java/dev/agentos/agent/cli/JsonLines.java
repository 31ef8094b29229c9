package dev.agentos.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a tool's JSON Lines output, skipping lines that are not JSON objects (banners, notes). */
final class JsonLines {
  private JsonLines() {}

  static List<JsonNode> objects(String stdout) {
    List<JsonNode> objects = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      object(line).ifPresent(objects::add);
    }
    return objects;
  }

  static java.util.Optional<JsonNode> object(String line) {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      return java.util.Optional.empty();
    }
    try {
      JsonNode node = Json.tree(trimmed.getBytes(StandardCharsets.UTF_8));
      return node.isObject() ? java.util.Optional.of(node) : java.util.Optional.empty();
    } catch (RuntimeException e) {
      return java.util.Optional.empty(); // a line that only looks like JSON: not an event
    }
  }

  /** A text field, or null when it is missing or not text. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  /** One line of at most {@code max} characters, for events and notes. */
  static String oneLine(String text, int max) {
    if (text == null) {
      return "";
    }
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }
}
